package io.ftpipe.it;

import ai.onnx.proto.OnnxMl;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the weights (initializers) of an exported inference model. */
final class OnnxWeights {
    private OnnxWeights() {
    }

    static Map<String, float[]> read(Path model) throws Exception {
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

    static double relativeDifference(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }
}
