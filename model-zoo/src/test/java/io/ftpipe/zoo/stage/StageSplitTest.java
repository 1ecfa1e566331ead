package io.ftpipe.zoo.stage;

import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.runtime.Float32Harness;
import io.ftpipe.zoo.train.LocalTrainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same model split into 1..4 stages gives the same loss and gradients as in one piece. */
class StageSplitTest {

    @ParameterizedTest(name = "{0} in {1} stages")
    @CsvSource({"mlp,2", "mlp,3", "cnn,2", "cnn,3", "cnn,4", "mobilenetv2,2", "mobilenetv2,3", "mobilenetv2,4"})
    void splitMatchesWhole(String name, int stages) throws Exception {
        Model model = ModelZoo.create(name);
        var data = SyntheticDataset.generate(16, 3);
        float[] x = data.features();
        long[] labels = new long[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.labels()[i];
        }
        Map<String, float[]> none = new HashMap<>();
        var whole = Float32Harness.step(model, new int[]{0, model.size()}, none, x, labels);
        int[] bounds = LocalTrainer.evenBounds(model, stages);
        assertEquals(stages + 1, bounds.length);
        var split = Float32Harness.step(model, bounds, none, x, labels);

        assertEquals(whole.loss(), split.loss(), 1e-6 * Math.abs(whole.loss()));
        assertEquals(whole.grads().keySet(), split.grads().keySet());
        for (String p : whole.grads().keySet()) {
            double[] reference = toDouble(whole.grads().get(p));
            double error = Float32Harness.relativeError(split.grads().get(p), reference);
            assertTrue(error <= 1e-5, p + ": relative error " + error);
        }
    }

    static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
