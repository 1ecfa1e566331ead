package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a model file must look like to be trained: an opset torch.onnx.export writes (13 to 17),
 * one float input with a fixed per-sample shape, one output, and BatchNormalization not folded
 * away by the exporter. Pure.
 *
 * @param exportBatch the input's batch dimension when the export fixed it, 0 when dynamic
 */
record Signature(String input, long[] sample, long exportBatch, String output) {
    static final int MIN_OPSET = 13;
    static final int MAX_OPSET = 17;

    static Signature of(ModelProto model) {
        checkOpset(model);
        GraphProto g = model.getGraph();
        Set<String> initialized = g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(i -> !initialized.contains(i.getName())).toList();
        if (inputs.isEmpty()) {
            throw new ImportException("the graph has no input");
        }
        if (inputs.size() > 1) {
            throw new ImportException("graph input '" + inputs.get(1).getName() + "' is a second input (after '"
                    + inputs.get(0).getName() + "'); only models with one input can be trained");
        }
        if (g.getOutputCount() != 1) {
            throw new ImportException("the graph has " + g.getOutputCount() + " outputs ("
                    + g.getOutputList().stream().map(ValueInfoProto::getName).collect(Collectors.joining(", "))
                    + "); only models with one output can be trained");
        }
        ValueInfoProto in = inputs.get(0);
        var type = in.getType().getTensorType();
        if (type.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new ImportException("graph input '" + in.getName() + "' has element type " + type.getElemType()
                    + "; only float32 inputs can be trained");
        }
        List<TensorShapeProto.Dimension> dims = type.getShape().getDimList();
        if (dims.size() < 2) {
            throw new ImportException("graph input '" + in.getName() + "' has " + dims.size()
                    + " dimensions; it must be [batch, ...] with at least one dimension per sample");
        }
        long[] sample = new long[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                throw new ImportException("graph input '" + in.getName() + "' dimension " + i + " ('"
                        + dims.get(i).getDimParam() + "') is dynamic; export with a fixed sample shape");
            }
            sample[i - 1] = dims.get(i).getDimValue();
        }
        long batch = dims.get(0).hasDimValue() ? dims.get(0).getDimValue() : 0;
        checkBatchNormNotFolded(g);
        return new Signature(in.getName(), sample, batch, g.getOutput(0).getName());
    }

    private static void checkOpset(ModelProto model) {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                if (o.getVersion() < MIN_OPSET || o.getVersion() > MAX_OPSET) {
                    throw new ImportException("the model uses ONNX opset " + o.getVersion() + "; export it with "
                            + "opset_version between " + MIN_OPSET + " and " + MAX_OPSET);
                }
                return;
            }
        }
        throw new ImportException("the model imports no standard ONNX opset");
    }

    /**
     * An eval-mode export folds each BatchNormalization into the convolution before it, and the
     * folded weights get names the exporter makes up ("onnx::Conv_..."); a trained parameter keeps
     * its PyTorch name. Without BatchNormalization nodes, such a name is the sign.
     */
    private static void checkBatchNormNotFolded(GraphProto g) {
        if (g.getNodeList().stream().anyMatch(n -> n.getOpType().equals("BatchNormalization"))) {
            return;
        }
        Set<String> initialized = g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Conv") && n.getInputCount() > 1 && initialized.contains(n.getInput(1))
                    && n.getInput(1).startsWith("onnx::")) {
                throw ImportException.at(n, "its weight '" + n.getInput(1) + "' was computed by the exporter, as "
                        + "torch.onnx.export does when it folds BatchNormalization into the convolution in an eval-mode "
                        + "export, and a folded BatchNorm cannot be trained; export with do_constant_folding=False and "
                        + "training=torch.onnx.TrainingMode.PRESERVE");
            }
        }
    }

    @Override
    public String toString() {
        return input + Arrays.toString(sample) + " -> " + output;
    }
}
