package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.ftpipe.zoo.data.NpyArray;
import io.ftpipe.zoo.data.NpzReader;
import io.ftpipe.zoo.export.ImportedModelExporter;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.StageRuntime;
import io.ftpipe.zoo.train.LocalTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trained imported model, written back as the user's own graph, predicts in ONNX Runtime what
 * the trainer's evaluation graphs predict; untrained, what PyTorch predicts.
 */
class ImportedModelExporterTest {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @ParameterizedTest
    @ValueSource(strings = {"har", "resnet18", "mobilenet_v2"})
    void trainedExportPredictsLikeTheTrainer(String name, @TempDir Path tmp) throws Exception {
        Path dir = PyTorchExports.dir();
        Map<String, NpyArray> ref = NpzReader.read(dir.resolve(name + ".npz"));
        ModelProto original = OnnxImporter.parse(dir.resolve(name + ".onnx"));
        Model model = OnnxImporter.fromProto(name, original, ImportOptions.defaults());
        float[] x = ref.get("x").floats();
        long[] labels = ref.get("labels").longs();
        int n = labels.length;
        float[] expected = new float[n * model.classes()];
        Map<String, float[]> weights = new LinkedHashMap<>();
        try (LocalPipeline p = new LocalPipeline(env, model, LocalTrainer.evenBounds(model, 2), 3, 1)) {
            List<Optimizer> optimizers = new ArrayList<>();
            p.stages().forEach(s -> optimizers.add(OptimizerConfig.sgd(0.05, 0.9, 0).create()));
            for (int step = 0; step < 3; step++) {
                p.forwardBackward(x, labels, n);
                for (int s = 0; s < optimizers.size(); s++) {
                    optimizers.get(s).step(p.stages().get(s).store());
                }
            }
            p.evaluate(x, labels, n, expected);
            for (StageRuntime s : p.stages()) {
                weights.putAll(s.store().snapshot());
            }
        }
        Path file = tmp.resolve(name + ".onnx");
        ImportedModelExporter.write(original, weights, file);

        assertWeightsReplaced(original, OnnxImporter.parse(file), model, weights);
        float[] logits = run(file, original, x, n);
        double error = ImportedModels.relativeError(logits, expected);
        System.out.printf("%s: exported model against the trainer's evaluation, relative error %.3g%n", name, error);
        assertTrue(error <= 1e-5, name + ": relative error " + error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"har", "resnet18", "mobilenet_v2"})
    void untrainedExportPredictsLikePyTorch(String name, @TempDir Path tmp) throws Exception {
        Path dir = PyTorchExports.dir();
        Map<String, NpyArray> ref = NpzReader.read(dir.resolve(name + ".npz"));
        ModelProto original = OnnxImporter.parse(dir.resolve(name + ".onnx"));
        Model model = OnnxImporter.fromProto(name, original, ImportOptions.defaults());
        Path file = tmp.resolve(name + ".onnx");
        ImportedModelExporter.write(original, ImportedModels.initialWeights(model), file);
        float[] logits = run(file, original, ref.get("x").floats(), ref.get("labels").longs().length);
        double error = ImportedModels.relativeError(logits, ref.get("eval_logits").floats());
        assertTrue(error <= 1e-5, name + ": ONNX Runtime on the exported file against PyTorch, relative error " + error);
    }

    /** A final softmax, which training drops, stays in the exported graph. */
    @Test
    void finalSoftmaxStays(@TempDir Path tmp) throws Exception {
        ModelProto withSoftmax = TinyModels.build(new long[]{6}, 6, (t, x) -> t.g().op("Tanh", x));
        var g = withSoftmax.getGraph().toBuilder();
        String logits = g.getOutput(0).getName();
        g.getNodeBuilderList().stream().filter(n -> n.getOutput(0).equals(logits)).findFirst().orElseThrow()
                .setOutput(0, "raw");
        g.addNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("Softmax").setName("softmax")
                .addInput("raw").addOutput(logits).addAttribute(Attr.i("axis", 1)));
        ModelProto original = withSoftmax.toBuilder().setGraph(g).build();
        Model model = OnnxImporter.fromProto("softmax", original, ImportOptions.defaults());
        assertFalse(model.units().stream().anyMatch(u -> u.layer().describe().contains("Softmax")));
        float[] x = new float[]{0.1f, -0.4f, 0.3f, 0.9f, -1f, 0.5f, 2f, 0, -0.3f, 0.2f, 0.1f, 0.7f};
        float[] expected = ImportedModels.evalLogits(model, new int[]{0, model.size()}, x, new long[2]);
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(expected[3 * r + c]);
            }
            for (int c = 0; c < 3; c++) {
                expected[3 * r + c] = (float) (Math.exp(expected[3 * r + c]) / sum);
            }
        }
        Path file = tmp.resolve("softmax.onnx");
        ImportedModelExporter.write(original, ImportedModels.initialWeights(model), file);
        assertArrayEquals(expected, run(file, original, x, 2), 1e-6f);
    }

    /** Every trained tensor is in the file under its original name and shape; the rest is untouched. */
    private static void assertWeightsReplaced(ModelProto original, ModelProto exported, Model model,
                                              Map<String, float[]> weights) {
        Map<String, String> sources = ImportedModels.sources(model);
        Map<String, TensorProto> before = new LinkedHashMap<>();
        original.getGraph().getInitializerList().forEach(t -> before.put(t.getName(), t));
        assertEquals(before.size(), exported.getGraph().getInitializerCount());
        int changed = 0;
        for (TensorProto t : exported.getGraph().getInitializerList()) {
            assertEquals(before.get(t.getName()).getDimsList(), t.getDimsList(), t.getName());
            String param = sources.entrySet().stream().filter(e -> e.getValue().equals(t.getName())).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            if (param != null) {
                assertArrayEquals(weights.get(param), Tensors.floats(t), t.getName());
                changed += Arrays.equals(Tensors.floats(before.get(t.getName())), Tensors.floats(t)) ? 0 : 1;
            }
        }
        assertTrue(changed > sources.size() / 2, "training changed most tensors: " + changed + " of " + sources.size());
    }

    /** ONNX Runtime on the exported file, checking its input and output are the original's. */
    private float[] run(Path file, ModelProto original, float[] x, int n) throws Exception {
        try (OrtSession s = env.createSession(file.toString())) {
            String input = original.getGraph().getInput(0).getName();
            String output = original.getGraph().getOutput(0).getName();
            assertEquals(List.of(input), new ArrayList<>(s.getInputNames()));
            assertEquals(List.of(output), new ArrayList<>(s.getOutputNames()));
            long[] inShape = ((TensorInfo) s.getInputInfo().get(input).getInfo()).getShape();
            long[] shape = inShape.clone();
            shape[0] = n;
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = s.run(Map.of(input, t))) {
                FloatBuffer out = ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer();
                float[] values = new float[out.remaining()];
                out.get(values);
                return values;
            }
        }
    }
}
