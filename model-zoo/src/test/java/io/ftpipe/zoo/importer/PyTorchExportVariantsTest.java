package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.data.NpyArray;
import io.ftpipe.zoo.data.NpzReader;
import io.ftpipe.zoo.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same HAR network exported by PyTorch with every opset from 13 to 17, the batch dimension
 * dynamic or fixed at export (16): each imports to the same model, evaluates like PyTorch and
 * trains at another batch size (5); and PyTorch's default eval-mode export, which folds
 * BatchNorm away, is refused with what to do instead.
 */
class PyTorchExportVariantsTest {
    private static final int BATCH = 5;

    @ParameterizedTest(name = "opset {0}, {1} batch")
    @CsvSource({"13,dynamic", "13,fixed", "14,dynamic", "14,fixed", "15,dynamic", "15,fixed", "16,dynamic", "16,fixed",
            "17,dynamic", "17,fixed"})
    void everyOpsetAndBatchKindImportsAlike(int opset, String batch) throws Exception {
        Path dir = PyTorchExports.dir();
        Map<String, NpyArray> ref = NpzReader.read(dir.resolve("har.npz"));
        Model model = OnnxImporter.read(dir.resolve("har-opset" + opset + "-" + batch + ".onnx"));
        float[] x = Arrays.copyOf(ref.get("x").floats(), BATCH * 9 * 128);
        long[] labels = Arrays.copyOf(ref.get("labels").longs(), BATCH);

        float[] logits = ImportedModels.evalLogits(model, new int[]{0, model.size()}, x, labels);
        float[] expected = Arrays.copyOf(ref.get("eval_logits").floats(), BATCH * 6);
        double error = ImportedModels.relativeError(logits, expected);
        assertTrue(error <= 1e-5, "opset " + opset + ", " + batch + ": evaluation logits relative error " + error);

        Model reference = OnnxImporter.read(dir.resolve("har.onnx"));
        var step = ImportedModels.step(model, new int[]{0, model.size()}, x, labels);
        var referenceStep = ImportedModels.step(reference, new int[]{0, reference.size()}, x, labels);
        assertEquals(referenceStep.loss(), step.loss(), 1e-6 * referenceStep.loss());
        assertEquals(reference.info().size(), model.info().size());
        for (String p : referenceStep.grads().keySet()) {
            assertTrue(ImportedModels.relativeError(step.grads().get(p), referenceStep.grads().get(p)) <= 1e-6, p);
        }
    }

    @Test
    void foldedBatchNormIsRefusedWithTheExportToUse() throws Exception {
        Path file = PyTorchExports.dir().resolve("har-folded.onnx");
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.read(file));
        // The exporter names the folded weight; the first convolution's is the one reported.
        var conv = OnnxImporter.parse(file).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv")).findFirst().orElseThrow();
        assertTrue(conv.getInput(1).startsWith("onnx::"), "an eval-mode export folds BatchNorm: " + conv.getInput(1));
        assertEquals("node '" + conv.getName() + "' (Conv): its weight '" + conv.getInput(1) + "' was computed by the "
                + "exporter, as torch.onnx.export does when it folds BatchNormalization into the convolution in an "
                + "eval-mode export, and a folded BatchNorm cannot be trained; export with do_constant_folding=False "
                + "and training=torch.onnx.TrainingMode.PRESERVE", e.getMessage());
    }
}
