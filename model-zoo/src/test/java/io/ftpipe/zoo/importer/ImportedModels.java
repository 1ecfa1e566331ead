package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.runtime.StageRuntime;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers for imported models: names back to initializers, dropout off, one training step. */
final class ImportedModels {

    /** Loss, gradients and every parameter's and buffer's value after one training step, by model name. */
    record Step(double loss, Map<String, float[]> grads, Map<String, float[]> values) {
    }

    private ImportedModels() {
    }

    /** The model's parameter names to the ONNX initializers they came from. */
    static Map<String, String> sources(Model model) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int u = 0; u < model.size(); u++) {
            GraphUnit unit = (GraphUnit) model.units().get(u).layer();
            for (var e : unit.sources().entrySet()) {
                out.put(Model.unitPrefix(u) + e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** The same model with every Dropout's ratio set to 0, as PyTorch's reference runs with dropout off. */
    static ModelProto withoutDropout(ModelProto model) {
        ModelProto.Builder b = model.toBuilder();
        var g = b.getGraphBuilder();
        String zero = "test.dropout_ratio_zero";
        g.addInitializer(TensorProto.newBuilder().setName(zero).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(0));
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            if (n.getOpType().equals("Dropout")) {
                if (n.getInputCount() < 2) {
                    n.addInput(zero);
                } else {
                    n.setInput(1, zero);
                }
            }
        }
        return b.build();
    }

    /** One forward and backward with the model's initial (imported) weights, in stages {@code bounds}. */
    static Step step(Model model, int[] bounds, float[] x, long[] labels) throws Exception {
        try (LocalPipeline p = new LocalPipeline(OrtEnvironment.getEnvironment(), model, bounds, 1, 1)) {
            double loss = p.forwardBackward(x, labels, labels.length).loss();
            Map<String, float[]> grads = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (StageRuntime s : p.stages()) {
                for (ParamStore.Entry e : s.store().entries()) {
                    values.put(e.name(), e.read());
                    if (e.grad() != null) {
                        float[] g = new float[e.grad().capacity()];
                        e.grad().get(0, g);
                        grads.put(e.name(), g);
                    }
                }
            }
            return new Step(loss, grads, values);
        }
    }

    /** Evaluation-mode logits of one batch. */
    static float[] evalLogits(Model model, int[] bounds, float[] x, long[] labels) throws Exception {
        try (LocalPipeline p = new LocalPipeline(OrtEnvironment.getEnvironment(), model, bounds, 1, 1)) {
            float[] logits = new float[labels.length * model.classes()];
            p.evaluate(x, labels, labels.length, logits);
            return logits;
        }
    }

    /** Initial values of every parameter and buffer, by model name. */
    static Map<String, float[]> initialWeights(Model model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParamSpec p : model.params(0, model.size()).values()) {
            out.put(p.name(), ParamStore.initialValues(p, 1));
        }
        return out;
    }

    static double relativeError(float[] actual, float[] expected) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            diff += ((double) actual[i] - expected[i]) * ((double) actual[i] - expected[i]);
            norm = Math.max(norm, 0) + (double) expected[i] * expected[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }
}
