package io.ftpipe.zoo.importer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitNamesTest {

    @Test
    void unitsAreNamedByTheModulePathTheirNodesShare() {
        assertEquals(List.of("layer1/layer1.0", "conv1..relu", "fc"), UnitNames.of(List.of(
                List.of("/layer1/layer1.0/conv1/Conv", "/layer1/layer1.0/bn1/BatchNormalization", "/layer1/layer1.0/Add"),
                List.of("/conv1/Conv", "/bn1/BatchNormalization", "/relu/Relu"),
                List.of("/fc/Gemm"))));
    }

    @Test
    void childrenOfOneSequentialAreNamedByTheirRange() {
        assertEquals(List.of("features/features.0..features.2", "features/features.3", "features/features.4..features.5"),
                UnitNames.of(List.of(
                        List.of("/features/features.0/Conv", "/features/features.1/BatchNormalization",
                                "/features/features.2/Relu"),
                        List.of("/features/features.3/MaxPool"),
                        List.of("/features/features.4/Conv", "/features/features.5/Relu"))));
    }

    @Test
    void namelessNodesGiveNumberedUnitsAndDuplicatesAreNumbered() {
        assertEquals(List.of("unit0", "a/Relu", "a/Relu#2"), UnitNames.of(List.of(List.of(""), List.of("/a/Relu"),
                List.of("/a/Relu"))));
    }
}
