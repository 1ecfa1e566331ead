package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.ftpipe.zoo.data.NpyArray;
import io.ftpipe.zoo.data.NpzReader;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.train.LocalTrainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models nobody here wrote, exported by PyTorch in this test run, imported and compared with
 * PyTorch itself on the same batch and weights: evaluation logits (running statistics), and in
 * training mode (batch statistics, dropout off) the loss, every weight gradient and the updated
 * BatchNorm running statistics.
 */
class PyTorchGradientsTest {
    private static final double FORWARD_TOLERANCE = 1e-5;
    private static final double GRADIENT_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"har", "resnet18", "mobilenet_v2", "mobilenet_v3"})
    void evaluationForwardMatchesPyTorch(String name) throws Exception {
        Path dir = PyTorchExports.dir();
        Map<String, NpyArray> ref = NpzReader.read(dir.resolve(name + ".npz"));
        Model model = OnnxImporter.read(dir.resolve(name + ".onnx"));
        long[] labels = ref.get("labels").longs();
        float[] logits = ImportedModels.evalLogits(model, new int[]{0, model.size()}, ref.get("x").floats(), labels);
        double error = ImportedModels.relativeError(logits, ref.get("eval_logits").floats());
        System.out.printf("%s: %d units, evaluation logits relative error %.3g%n", name, model.size(), error);
        assertTrue(error <= FORWARD_TOLERANCE, name + ": evaluation logits relative error " + error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"har", "resnet18", "mobilenet_v2", "mobilenet_v3"})
    void lossAndEveryGradientMatchPyTorch(String name) throws Exception {
        Path dir = PyTorchExports.dir();
        Map<String, NpyArray> ref = NpzReader.read(dir.resolve(name + ".npz"));
        ModelProto proto = ImportedModels.withoutDropout(OnnxImporter.parse(dir.resolve(name + ".onnx")));
        Model model = OnnxImporter.fromProto(name, proto, ImportOptions.defaults());
        Map<String, String> sources = ImportedModels.sources(model);
        float[] x = ref.get("x").floats();
        long[] labels = ref.get("labels").longs();
        ImportedModels.Step step = ImportedModels.step(model, new int[]{0, model.size()}, x, labels);

        double expectedLoss = ref.get("loss").doubles()[0];
        double lossError = Math.abs(step.loss() - expectedLoss) / Math.abs(expectedLoss);
        assertTrue(lossError <= GRADIENT_TOLERANCE, name + ": loss " + step.loss() + " vs PyTorch's " + expectedLoss);

        Set<String> expected = keys(ref, "grad/");
        Set<String> actual = step.grads().keySet().stream().map(sources::get).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, actual, name + ": the trained parameters are PyTorch's parameters");
        // A shift that a BatchNorm downstream removes (a convolution's bias, a projection's BatchNorm
        // shift) leaves the loss unchanged: its gradient is zero, and both sides hold only rounding
        // noise, many orders of magnitude below every other gradient. There only the absolute size counts.
        double zero = 1e-6 * expected.stream().mapToDouble(p -> norm(ref.get("grad/" + p).floats())).max().orElseThrow();
        double worst = 0;
        String worstName = "";
        int invariant = 0;
        for (var e : step.grads().entrySet()) {
            String source = sources.get(e.getKey());
            float[] reference = ref.get("grad/" + source).floats();
            if (norm(reference) < zero) {
                assertTrue(norm(e.getValue()) < zero, name + " " + source + ": gradient norm " + norm(e.getValue())
                        + " where PyTorch's is " + norm(reference) + ", rounding noise of a zero gradient");
                invariant++;
                continue;
            }
            double error = ImportedModels.relativeError(e.getValue(), reference);
            assertTrue(error <= GRADIENT_TOLERANCE, name + " " + source + ": gradient relative error " + error);
            if (error > worst) {
                worst = error;
                worstName = source;
            }
        }
        double worstRunning = 0;
        for (String buffer : keys(ref, "running/")) {
            String param = sources.entrySet().stream().filter(s -> s.getValue().equals(buffer)).findFirst()
                    .orElseThrow().getKey();
            double error = ImportedModels.relativeError(step.values().get(param), ref.get("running/" + buffer).floats());
            assertTrue(error <= GRADIENT_TOLERANCE, name + " " + buffer + ": running statistic relative error " + error);
            worstRunning = Math.max(worstRunning, error);
        }
        System.out.printf("%s: loss relative error %.3g, %d gradients (%d of them zero), worst relative error %.3g (%s), "
                + "running statistics worst %.3g%n", name, lossError, expected.size(), invariant, worst, worstName,
                worstRunning);
    }

    @ParameterizedTest
    @ValueSource(strings = {"har", "resnet18", "mobilenet_v2", "mobilenet_v3"})
    void stagesGiveTheWholeModelsGradients(String name) throws Exception {
        Path dir = PyTorchExports.dir();
        Map<String, NpyArray> ref = NpzReader.read(dir.resolve(name + ".npz"));
        Model model = OnnxImporter.fromProto(name,
                ImportedModels.withoutDropout(OnnxImporter.parse(dir.resolve(name + ".onnx"))), ImportOptions.defaults());
        float[] x = ref.get("x").floats();
        long[] labels = ref.get("labels").longs();
        var whole = ImportedModels.step(model, new int[]{0, model.size()}, x, labels);
        int[] bounds = LocalTrainer.evenBounds(model, 3);
        var split = ImportedModels.step(model, bounds, x, labels);
        assertEquals(whole.loss(), split.loss(), 1e-6 * Math.abs(whole.loss()));
        assertEquals(whole.grads().keySet(), split.grads().keySet());
        for (String p : whole.grads().keySet()) {
            double error = ImportedModels.relativeError(split.grads().get(p), whole.grads().get(p));
            assertTrue(error <= 1e-5, name + " " + p + " in stages " + java.util.Arrays.toString(bounds)
                    + ": relative error " + error);
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }

    private static Set<String> keys(Map<String, NpyArray> ref, String prefix) {
        return ref.keySet().stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
