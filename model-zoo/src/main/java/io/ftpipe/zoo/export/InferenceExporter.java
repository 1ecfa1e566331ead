package io.ftpipe.zoo.export;

import io.ftpipe.zoo.data.Normalization;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes a trained model as one standard inference ONNX model: weights as initializers,
 * evaluation-mode layers, input {@value #INPUT}, outputs {@value #LOGITS} and {@value #PROBABILITIES}.
 */
public final class InferenceExporter {
    public static final String INPUT = "input";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";

    private InferenceExporter() {
    }

    public static byte[] toOnnx(Model model, Map<String, float[]> weights) {
        GraphBuilder g = new GraphBuilder(model.name(), DType.FLOAT32);
        var params = model.params(0, model.size());
        for (String p : params.keySet()) {
            if (!weights.containsKey(p)) {
                throw new IllegalArgumentException("no weights for " + p);
            }
        }
        ForwardScope.Graph graph = new ForwardScope.Graph(g, false, params, weights);
        String x = g.input(INPUT, Shapes.batched(model.inputShape()));
        for (int u = 0; u < model.size(); u++) {
            x = model.units().get(u).layer().forward(new ForwardScope(graph, Model.unitPrefix(u)), x,
                    model.inputShape(u));
        }
        g.output(x, LOGITS);
        g.output(g.op("Softmax", x, io.ftpipe.zoo.onnx.Attr.i("axis", 1)), PROBABILITIES);
        g.metadata("model", model.name());
        g.metadata("preprocessing", "pixel / " + Normalization.PIXEL_SCALE + ", then (v - " + Normalization.MEAN
                + ") / " + Normalization.STD);
        return g.toBytes();
    }

    /** Writes atomically: a reader never sees half a model. */
    public static void write(Model model, Map<String, float[]> weights, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.write(tmp, toOnnx(model, weights));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
