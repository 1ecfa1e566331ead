package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.runtime.ParamStore;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file's initializers are the starting weights, unless re-initialised from the job's seed like the zoo's layers. */
class ReinitializeTest {
    private static final ModelProto MODEL = TinyModels.build(new long[]{2, 6}, 18, (t, x) -> t.g().op(
            "BatchNormalization", List.of(t.g().op("Conv", List.of(x, t.init(0, 3, 2, 3), t.init(0, 3)),
                    Attr.ints("pads", 1, 1)), t.init(1, 3), t.init(0, 3), t.init(0, 3), t.init(1, 3))));

    @Test
    void theFilesInitializersAreTheStartingWeights() {
        Model model = OnnxImporter.fromProto("m", MODEL, ImportOptions.defaults());
        Map<String, String> sources = ImportedModels.sources(model);
        assertEquals(sources.keySet(), model.params(0, model.size()).keySet(), "every parameter and buffer has a source");
        for (ParamSpec p : model.params(0, model.size()).values()) {
            TensorProto init = MODEL.getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().equals(sources.get(p.name()))).findFirst().orElseThrow();
            assertArrayEquals(Tensors.floats(init), ParamStore.initialValues(p, 7), p.name());
            assertArrayEquals(Tensors.floats(init), ParamStore.initialValues(p, 8), p.name() + " whatever the seed");
        }
    }

    @Test
    void reinitialisedWeightsComeFromTheSeedAndBatchNormStartsAtIdentity() {
        Model model = OnnxImporter.fromProto("m", MODEL, new ImportOptions(true));
        Map<String, String> sources = ImportedModels.sources(model);
        for (ParamSpec p : model.params(0, model.size()).values()) {
            float[] file = MODEL.getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().equals(sources.get(p.name()))).map(Tensors::floats).findFirst().orElseThrow();
            float[] seven = ParamStore.initialValues(p, 7);
            assertFalse(Arrays.equals(file, seven), p.name() + " is not the file's");
            assertArrayEquals(seven, ParamStore.initialValues(p, 7), p.name() + " is a function of the seed");
            String local = p.name().substring(p.name().lastIndexOf('.') + 1);
            boolean batchNorm = p.name().contains(".n1.");
            if (batchNorm) {
                float expected = local.equals("weight") || local.equals("running_var") ? 1 : 0;
                for (float v : seven) {
                    assertEquals(expected, v, p.name());
                }
            } else if (local.equals("weight")) {
                assertFalse(Arrays.equals(seven, ParamStore.initialValues(p, 8)), p.name() + " differs by seed");
                assertTrue(p.uniformBound() > 0, p.name() + " is drawn like the zoo's convolution weights");
            }
        }
    }
}
