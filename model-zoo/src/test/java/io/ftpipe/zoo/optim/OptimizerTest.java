package io.ftpipe.zoo.optim;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.runtime.ParamStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Optimizer steps against values worked out by hand from PyTorch's update rules. */
class OptimizerTest {

    private static ParamStore store(float... w) throws Exception {
        ParamStore s = ParamStore.initialize(OrtEnvironment.getEnvironment(),
                List.of(ParamSpec.constant("w", 0, w.length)), 1);
        s.get("w").write(w);
        return s;
    }

    private static void grad(ParamStore s, float... g) {
        s.get("w").grad().put(0, g);
    }

    @Test
    void sgdWithMomentumAndWeightDecay() throws Exception {
        try (ParamStore s = store(1f, -2f)) {
            Optimizer opt = OptimizerConfig.sgd(0.1, 0.9, 0.01).create();
            grad(s, 0.5f, 0.5f);
            opt.step(s);
            // v = g + wd*w = [0.51, 0.48]; w -= 0.1 v
            assertArrayEquals(new float[]{0.949f, -2.048f}, s.get("w").read(), 1e-6f);
            grad(s, 0.5f, 0.5f);
            opt.step(s);
            // v = 0.9 v + g + wd*w = [0.459 + 0.50949, 0.432 + 0.47952]
            assertArrayEquals(new float[]{0.852151f, -2.139152f}, s.get("w").read(), 1e-6f);
            assertEquals(2, opt.state("w").step());
        }
    }

    @Test
    void adamFirstStepsMoveByAboutTheLearningRate() throws Exception {
        try (ParamStore s = store(1f, 1f)) {
            Optimizer opt = OptimizerConfig.adam(0.01, 0).create();
            grad(s, 3f, -0.001f);
            opt.step(s);
            // Bias-corrected first step is lr * sign(g) (up to eps).
            assertArrayEquals(new float[]{0.99f, 1.01f}, s.get("w").read(), 1e-5f);
            grad(s, 1f, -0.001f);
            opt.step(s);
            // m = [0.9*0.3 + 0.1*1, ...] / (1 - 0.81); v = [0.999*0.009 + 0.001*1] / (1 - 0.998001)
            double m = (0.27 + 0.1) / 0.19;
            double v = (0.999 * 0.009 + 0.001) / (1 - 0.998001);
            assertEquals(0.99 - 0.01 * m / (Math.sqrt(v) + 1e-8), s.get("w").read()[0], 1e-5);
        }
    }

    @Test
    void restoredStateContinuesExactly() throws Exception {
        try (ParamStore a = store(1f, 2f); ParamStore b = store(0f, 0f)) {
            Optimizer first = OptimizerConfig.adam(0.01, 0.001).create();
            grad(a, 0.3f, -0.2f);
            first.step(a);
            Optimizer second = OptimizerConfig.adam(0.01, 0.001).create();
            b.get("w").write(a.get("w").read());
            second.restore("w", first.state("w"));
            grad(a, 0.1f, 0.4f);
            grad(b, 0.1f, 0.4f);
            first.step(a);
            second.step(b);
            assertArrayEquals(a.get("w").read(), b.get("w").read(), 0f);
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.sgd(0, 0.9, 0));
        assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.sgd(Double.NaN, 0.9, 0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new OptimizerConfig("rmsprop", 0.1, 0, 0, 0, 0, 0).create());
        assertEquals("unknown optimizer 'rmsprop'; known: sgd, adam", e.getMessage());
    }
}
