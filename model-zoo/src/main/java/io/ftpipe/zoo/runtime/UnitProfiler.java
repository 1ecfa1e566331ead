package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.ftpipe.zoo.stage.StageGraphs.GRAD_INPUT;
import static io.ftpipe.zoo.stage.StageGraphs.LOGITS_GRAD;
import static io.ftpipe.zoo.stage.StageGraphs.OUTPUT;

/**
 * The reference profile the planner divides measured stage times by: forward + backward time of
 * every unit on this machine, each unit compiled as a stage of its own and run on a micro-batch of
 * random data. Medians, so one page fault or GC pause does not skew a unit.
 */
public final class UnitProfiler {
    private UnitProfiler() {
    }

    /** Per unit, the median forward + backward milliseconds of one micro-batch of {@code batch}. */
    public static double[] forwardBackwardMillis(OrtEnvironment env, Model model, int batch, int threads,
                                                 int warmup, int iterations) throws OrtException {
        if (batch < 1 || warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("batch and iterations must be >= 1, warmup >= 0");
        }
        int[] bounds = new int[model.size() + 1];
        Arrays.setAll(bounds, i -> i);
        double[][] samples = new double[model.size()][iterations];
        try (LocalPipeline p = new LocalPipeline(env, model, bounds, 1, threads);
             OnnxTensor x = randomImages(env, model, batch);
             OnnxTensor y = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch]), new long[]{batch})) {
            for (int it = -warmup; it < iterations; it++) {
                double[] millis = once(p.stages(), x, y);
                for (int u = 0; it >= 0 && u < millis.length; u++) {
                    samples[u][it] = millis[u];
                }
            }
        }
        double[] medians = new double[model.size()];
        for (int u = 0; u < medians.length; u++) {
            Arrays.sort(samples[u]);
            medians[u] = samples[u][iterations / 2];
        }
        return medians;
    }

    private static double[] once(List<StageRuntime> stages, OnnxTensor x, OnnxTensor y) throws OrtException {
        double[] millis = new double[stages.size()];
        List<Pass> passes = new ArrayList<>();
        try {
            OnnxTensor in = x;
            for (int s = 0; s < stages.size(); s++) {
                long t = System.nanoTime();
                Pass p = stages.get(s).forward(in, y);
                millis[s] += (System.nanoTime() - t) / 1e6;
                passes.add(p);
                in = stages.get(s).graphs().last() ? null : p.tensor(OUTPUT);
            }
            OnnxTensor dy = passes.get(passes.size() - 1).tensor(LOGITS_GRAD);
            for (int s = stages.size() - 1; s >= 0; s--) {
                long t = System.nanoTime();
                Pass b = stages.get(s).backward(passes.get(s), dy);
                millis[s] += (System.nanoTime() - t) / 1e6;
                passes.add(b);
                dy = s > 0 ? b.tensor(GRAD_INPUT) : null;
            }
            return millis;
        } finally {
            passes.forEach(Pass::close);
        }
    }

    private static OnnxTensor randomImages(OrtEnvironment env, Model model, int batch) throws OrtException {
        long[] shape = new long[model.inputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(model.inputShape(), 0, shape, 1, model.inputShape().length);
        float[] data = new float[Math.toIntExact(batch * Shapes.numel(model.inputShape()))];
        Random r = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }
}
