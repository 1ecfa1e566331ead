package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.zoo.model.Model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: one forward-backward through a float32 pipeline with given weights. */
public final class Float32Harness {

    /** Loss and gradients by parameter name. */
    public record Step(double loss, Map<String, float[]> grads) {
    }

    private Float32Harness() {
    }

    public static Step step(Model model, int[] bounds, Map<String, float[]> weights, float[] x, long[] labels)
            throws Exception {
        try (LocalPipeline p = new LocalPipeline(OrtEnvironment.getEnvironment(), model, bounds, 1, 1)) {
            for (StageRuntime s : p.stages()) {
                for (ParamStore.Entry e : s.store().entries()) {
                    if (weights.containsKey(e.name())) {
                        e.write(weights.get(e.name()));
                    }
                }
            }
            double loss = p.forwardBackward(x, labels, labels.length).loss();
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (StageRuntime s : p.stages()) {
                for (ParamStore.Entry e : s.store().entries()) {
                    if (e.grad() != null) {
                        float[] g = new float[e.grad().capacity()];
                        e.grad().get(0, g);
                        grads.put(e.name(), g);
                    }
                }
            }
            return new Step(loss, grads);
        }
    }

    /** ||a - b|| / max(||a||, ||b||), or the absolute difference when both are below 1e-7. */
    public static double relativeError(float[] a, double[] b) {
        double diff = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            na += (double) a[i] * a[i];
            nb += b[i] * b[i];
        }
        double scale = Math.sqrt(Math.max(na, nb));
        return scale < 1e-7 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
    }
}
