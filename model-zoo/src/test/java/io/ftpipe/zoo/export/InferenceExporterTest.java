package io.ftpipe.zoo.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.StageRuntime;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exported inference model predicts exactly what the trainer's evaluation graphs predict. */
class InferenceExporterTest {

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "mobilenetv2"})
    void exportedModelPredictsLikeTheTrainer(String name, @TempDir Path dir) throws Exception {
        Model model = ModelZoo.create(name);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        var data = SyntheticDataset.generate(32, 5);
        long[] labels = new long[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.labels()[i];
        }
        int n = data.size();
        float[] expected = new float[n * model.classes()];
        Map<String, float[]> weights = new LinkedHashMap<>();
        try (LocalPipeline p = new LocalPipeline(env, model, new int[]{0, 1, model.size()}, 4, 1)) {
            // A few steps, so that BatchNorm running statistics and weights differ from their start.
            var opt = OptimizerConfig.sgd(0.05, 0.9, 0).create();
            var opt0 = OptimizerConfig.sgd(0.05, 0.9, 0).create();
            for (int i = 0; i < 3; i++) {
                p.forwardBackward(data.features(), labels, n);
                opt0.step(p.stages().get(0).store());
                opt.step(p.stages().get(1).store());
            }
            p.evaluate(data.features(), labels, n, expected);
            for (StageRuntime s : p.stages()) {
                weights.putAll(s.store().snapshot());
            }
        }
        Path file = dir.resolve("model.onnx");
        InferenceExporter.write(model, weights, file);

        try (OrtSession session = env.createSession(file.toString());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data.features()), new long[]{n, 1, 28, 28});
             OrtSession.Result r = session.run(Map.of(InferenceExporter.INPUT, x))) {
            float[] logits = new float[n * model.classes()];
            ((OnnxTensor) r.get(InferenceExporter.LOGITS).orElseThrow()).getFloatBuffer().get(logits);
            assertArrayEquals(expected, logits, 1e-4f);
            FloatBuffer probs = ((OnnxTensor) r.get(InferenceExporter.PROBABILITIES).orElseThrow()).getFloatBuffer();
            float sum = 0;
            for (int c = 0; c < model.classes(); c++) {
                sum += probs.get(c);
            }
            assertEquals(1f, sum, 1e-5f);
            assertEquals(name, session.getMetadata().getCustomMetadata().get("model"));
        }
    }
}
