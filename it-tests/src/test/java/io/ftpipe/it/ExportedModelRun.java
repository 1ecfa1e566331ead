package io.ftpipe.it;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ftpipe.zoo.data.ChannelNormalization;
import io.ftpipe.zoo.model.LoadedModel;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user does with a model the trainer exported: checks it kept their input and output names,
 * prepares inputs as its metadata says, runs it in ONNX Runtime and scores its predictions.
 */
final class ExportedModelRun {
    private static final Pattern NORMALIZATION = Pattern.compile("mean=\\[([^]]+)] std=\\[([^]]+)]");

    private ExportedModelRun() {
    }

    /** Accuracy of the exported model on samples {@code x} (each of {@code sampleShape}) labelled {@code y}. */
    static double accuracy(Path model, String input, String output, long[] sampleShape, float[] x, long[] y)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
            assertEquals(List.of(input), List.copyOf(s.getInputNames()), "the user's input name");
            assertEquals(output, s.getOutputNames().iterator().next(), "the user's output name");
            float[] in = x.clone();
            normalization(s.getMetadata().getCustomMetadata().get(LoadedModel.NORMALIZATION_KEY)).apply(in, sampleShape);
            long[] shape = LongStream.concat(LongStream.of(y.length), LongStream.of(sampleShape)).toArray();
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), shape);
                 OrtSession.Result out = s.run(Map.of(input, t))) {
                float[][] scores = (float[][]) out.get(0).getValue();
                long right = 0;
                for (int i = 0; i < y.length; i++) {
                    float[] row = scores[i];
                    int best = 0;
                    for (int c = 1; c < row.length; c++) {
                        best = row[c] > row[best] ? c : best;
                    }
                    right += best == y[i] ? 1 : 0;
                }
                return (double) right / y.length;
            }
        }
    }

    private static ChannelNormalization normalization(String recorded) {
        Matcher m = NORMALIZATION.matcher(String.valueOf(recorded));
        assertTrue(m.matches(), "the exported model records its normalisation: " + recorded);
        return new ChannelNormalization(floats(m.group(1)), floats(m.group(2)));
    }

    private static float[] floats(String list) {
        String[] parts = list.split(",\\s*");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i]);
        }
        return values;
    }
}
