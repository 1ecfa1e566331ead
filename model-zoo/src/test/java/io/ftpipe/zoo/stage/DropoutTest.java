package io.ftpipe.zoo.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ftpipe.zoo.layer.Dropout;
import io.ftpipe.zoo.layer.Linear;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.Unit;
import io.ftpipe.zoo.onnx.DType;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout draws real random masks from a fixed seed: the same sequence in every new session, a new
 * mask on every run; evaluation is the identity; and its gradient is the mask's.
 */
class DropoutTest {
    private static final double RATIO = 0.3;
    private static final int FEATURES = 50;
    private final Model model = new Model("dropout", new long[]{FEATURES}, 3, List.of(
            new Unit("dropout", new Dropout(RATIO, 11)), new Unit("classifier", new Linear(FEATURES, 3))));

    @Test
    void trainingDropsTheRatioAndScalesTheRestWithASeededSequence() throws Exception {
        byte[] forward = StageCompiler.compile(model, 0, 1, DType.FLOAT32, true).forward().onnx();
        int batch = 200;
        float[] first;
        float[] second;
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(forward)) {
            first = run(s, batch);
            second = run(s, batch);
        }
        float[] again;
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(forward)) {
            again = run(s, batch);
        }
        long dropped = 0;
        for (float v : first) {
            assertTrue(v == 0 || Math.abs(v - 1 / (1 - RATIO)) < 1e-6, "kept values are scaled by 1 / (1 - ratio): " + v);
            dropped += v == 0 ? 1 : 0;
        }
        double fraction = (double) dropped / first.length;
        assertEquals(RATIO, fraction, 0.03, "fraction dropped of " + first.length);
        assertFalse(Arrays.equals(first, second), "each run draws a new mask");
        assertArrayEquals(first, again, "a new session draws the same sequence from the seed");
    }

    @Test
    void evaluationIsTheIdentity() throws Exception {
        byte[] eval = StageCompiler.compile(model, 0, 1, DType.FLOAT32, true).eval().onnx();
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(eval)) {
            for (float v : run(s, 4)) {
                assertEquals(1f, v);
            }
        }
    }

    /** Central differences of the loss, each run in a new session so that every run draws the same first mask. */
    @Test
    void gradientMatchesFiniteDifferencesUnderTheSameMask() throws Exception {
        StageGraphs graphs = StageCompiler.compile(model, 0, model.size(), DType.FLOAT64, true);
        Random random = new Random(5);
        Map<String, double[]> params = new LinkedHashMap<>();
        params.put("u1.weight", random.doubles(3L * FEATURES, -0.3, 0.3).toArray());
        params.put("u1.bias", random.doubles(3, -0.3, 0.3).toArray());
        double[] x = random.doubles(4L * FEATURES, -1, 1).toArray();
        long[] labels = {0, 2, 1, 2};
        Float64Stage.Gradients analytic;
        try (Float64Stage stage = new Float64Stage(graphs)) {
            analytic = stage.gradients(params, x, labels);
        }
        GradientCheckTest.Loss loss = () -> {
            try (Float64Stage fresh = new Float64Stage(graphs)) {
                return fresh.loss(params, x, labels);
            }
        };
        long zeros = Arrays.stream(analytic.input()).filter(d -> d == 0).count();
        assertTrue(zeros > 0 && zeros < x.length, "the mask zeroes some inputs' gradients: " + zeros);
        GradientCheckTest.assertClose("dropout input", analytic.input(), x, loss, random);
        GradientCheckTest.assertClose("classifier weight", analytic.params().get("u1.weight"), params.get("u1.weight"),
                loss, random);
    }

    private float[] run(OrtSession s, int batch) throws Exception {
        float[] ones = new float[batch * FEATURES];
        Arrays.fill(ones, 1);
        try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(ones),
                new long[]{batch, FEATURES}); OrtSession.Result r = s.run(Map.of(StageGraphs.INPUT, x))) {
            FloatBuffer y = ((OnnxTensor) r.get(StageGraphs.OUTPUT).orElseThrow()).getFloatBuffer();
            float[] out = new float[y.remaining()];
            y.get(out);
            return out;
        }
    }
}
