package io.ftpipe.zoo.stage;

import io.ftpipe.zoo.importer.TinyModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Every kind of node the ONNX importer maps, imported from a small graph: float64 gradients
 * against central differences (as {@link GradientCheckTest}), and the float32 graphs that train
 * against the float64 ones (as {@link Float32MatchesFloat64Test}), which proves each float64
 * decomposition (average pooling as a convolution, LeakyReLU as a product) equal to the real op.
 */
class ImportedOpsGradientCheckTest {

    static Stream<TinyModels.Case> cases() {
        return TinyModels.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(TinyModels.Case c) throws Exception {
        GradientCheckTest.check(c.model(), 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32MatchesFloat64(TinyModels.Case c) throws Exception {
        Float32MatchesFloat64Test.compare(c.model(), 4);
    }
}
