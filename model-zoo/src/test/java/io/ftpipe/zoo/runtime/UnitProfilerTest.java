package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.zoo.model.ModelZoo;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class UnitProfilerTest {

    @Test
    void measuresEveryUnit() throws Exception {
        var model = ModelZoo.cnn();
        double[] ms = UnitProfiler.forwardBackwardMillis(OrtEnvironment.getEnvironment(), model, 8, 1, 1, 3);
        assertEquals(model.size(), ms.length);
        for (double m : ms) {
            assertTrue(m > 0 && Double.isFinite(m), java.util.Arrays.toString(ms));
        }
    }

    @Test
    void rejectsNonsense() {
        var env = OrtEnvironment.getEnvironment();
        assertThrows(IllegalArgumentException.class, () -> UnitProfiler.forwardBackwardMillis(env, ModelZoo.mlp(), 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> UnitProfiler.forwardBackwardMillis(env, ModelZoo.mlp(), 8, 1, 0, 0));
    }
}
