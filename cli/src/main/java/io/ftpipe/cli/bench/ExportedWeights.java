package io.ftpipe.cli.bench;

import ai.onnx.proto.OnnxMl;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the weights (initializers) of an exported inference model. */
public final class ExportedWeights {
    private ExportedWeights() {
    }

    public static Map<String, float[]> read(Path model) throws Exception {
        var proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model));
        Map<String, float[]> out = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : proto.getGraph().getInitializerList()) {
            var b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            out.put(t.getName(), v);
        }
        return out;
    }

    /** The norm of the difference relative to the norm of {@code a}. */
    public static double relativeDifference(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }

    /**
     * Over every weight tensor of {@code reference}, the largest difference of an element to
     * {@code other}'s, relative to the largest magnitude in the tensor.
     */
    public static double maxRelativeDifference(Map<String, float[]> reference, Map<String, float[]> other) {
        double worst = 0;
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            float[] a = e.getValue();
            float[] b = other.get(e.getKey());
            if (b == null || b.length != a.length) {
                return Double.POSITIVE_INFINITY;
            }
            double diff = 0;
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
                max = Math.max(max, Math.abs(a[i]));
            }
            worst = Math.max(worst, diff / Math.max(max, 1e-30));
        }
        return worst;
    }
}
