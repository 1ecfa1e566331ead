package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks an exported graph's nodes in order and sorts every tensor into an activation (with its
 * per-sample shape), a value known at import (folded), or a float initializer, which becomes a
 * trainable weight of the node that takes it in a weight's place. Nodes on activations become
 * {@link GraphUnit.Step}s through the {@link Catalog}.
 */
final class GraphWalk implements Values {

    /** A float initializer, or the exporter's Transpose of one (a bias-free Linear). */
    private record View(String initializer, boolean transposed) {
    }

    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, long[]> activations = new HashMap<>();
    private final Map<String, Const> constants = new HashMap<>();
    private final Map<String, View> views = new HashMap<>();
    private final Map<String, String> weightUse = new HashMap<>();
    private final Map<String, String> constantUse = new HashMap<>();
    private final Signature signature;
    private final boolean reinitialize;
    private final List<GraphUnit.Step> steps = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    private String output;

    GraphWalk(ModelProto model, Signature signature, ImportOptions options) {
        this.signature = signature;
        this.reinitialize = options.reinitialize();
        this.output = signature.output();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            initializers.put(t.getName(), t);
            if (Tensors.isFloat(t)) {
                views.put(t.getName(), new View(t.getName(), false));
            } else {
                constants.put(t.getName(), Const.of(t));
            }
        }
        activations.put(signature.input(), signature.sample());
        for (NodeProto node : model.getGraph().getNodeList()) {
            visit(node);
        }
        if (!activations.containsKey(output)) {
            throw new ImportException("graph output '" + signature.output() + "' does not depend on the input");
        }
    }

    List<GraphUnit.Step> steps() {
        return steps;
    }

    /** The ONNX node name each step came from. */
    List<String> origins() {
        return origins;
    }

    /** The tensor holding the logits (the graph output, or the input of a final softmax). */
    String output() {
        return output;
    }

    private void visit(NodeProto node) {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            throw ImportException.at(node, "operator domain '" + node.getDomain() + "' is not standard ONNX");
        }
        boolean onActivation = false;
        for (String t : node.getInputList()) {
            if (!t.isEmpty() && !activations.containsKey(t) && !constants.containsKey(t) && !views.containsKey(t)) {
                throw ImportException.at(node, "reads '" + t + "', which the importer does not compute (an extra "
                        + "output of a node, such as BatchNorm statistics, a dropout mask or pooling indices)");
            }
            onActivation |= activations.containsKey(t);
        }
        String op = node.getOpType();
        if ((op.equals("Softmax") || op.equals("LogSoftmax")) && onActivation) {
            if (!node.getOutput(0).equals(signature.output())) {
                throw ImportException.at(node, "a softmax inside the network is not supported; only a final one, "
                        + "which training replaces with its own softmax cross-entropy");
            }
            output = node.getInput(0);
            return;
        }
        if (op.equals("Shape") && onActivation) {
            constants.put(node.getOutput(0), ConstFolder.shapeOf(node, activations.get(node.getInput(0))));
        } else if (onActivation) {
            for (GraphUnit.Step step : Catalog.map(node, this)) {
                steps.add(step);
                origins.add(node.getName());
                for (int i = 0; i < step.outputs().size(); i++) {
                    activations.put(step.outputs().get(i), step.op().outputShapes().get(i));
                }
            }
        } else if ((op.equals("Transpose") || op.equals("Identity")) && views.containsKey(node.getInput(0))) {
            View v = views.get(node.getInput(0));
            long[] perm = Nodes.attrInts(node, "perm", null);
            boolean swap = op.equals("Transpose") && (perm == null || Arrays.equals(perm, new long[]{1, 0}));
            if (op.equals("Transpose") && !swap) {
                throw ImportException.at(node, "transposes weight '" + v.initializer() + "' by " + Arrays.toString(perm)
                        + "; only a matrix transpose is supported");
            }
            views.put(node.getOutput(0), new View(v.initializer(), v.transposed() != swap));
        } else {
            List<Const> in = new ArrayList<>();
            for (int i = 0; i < node.getInputCount(); i++) {
                in.add(node.getInput(i).isEmpty() ? null : constant(node, i));
            }
            constants.put(node.getOutput(0), ConstFolder.fold(node, in));
        }
    }

    @Override
    public boolean isActivation(String tensor) {
        return activations.containsKey(tensor);
    }

    @Override
    public boolean isWeight(String tensor) {
        return views.containsKey(tensor);
    }

    @Override
    public long[] shape(String tensor) {
        return activations.get(tensor);
    }

    @Override
    public Const constant(NodeProto node, int i) {
        String t = node.getInput(i);
        if (constants.containsKey(t)) {
            return constants.get(t);
        }
        View v = views.get(t);
        if (v == null) {
            throw ImportException.at(node, "input '" + t + "' depends on the input data; it must be known at import");
        }
        if (weightUse.containsKey(v.initializer())) {
            throw ImportException.at(node, "uses initializer '" + v.initializer() + "' as a constant, and "
                    + weightUse.get(v.initializer()) + " trains it as a weight");
        }
        constantUse.putIfAbsent(v.initializer(), Nodes.describe(node));
        Const c = Const.of(initializers.get(v.initializer()));
        return v.transposed() ? ConstFolder.fold(transpose(), List.of(c)) : c;
    }

    @Override
    public Weight weight(NodeProto node, int i) {
        String t = node.getInput(i);
        View v = views.get(t);
        if (v == null) {
            throw ImportException.at(node, "input " + i + " '" + t + "' takes a weight's place but is "
                    + (activations.containsKey(t) ? "an activation" : "computed, not an initializer"));
        }
        String user = Nodes.describe(node);
        if (constantUse.containsKey(v.initializer())) {
            throw ImportException.at(node, "trains initializer '" + v.initializer() + "' as a weight, and "
                    + constantUse.get(v.initializer()) + " uses it as a constant");
        }
        String previous = weightUse.putIfAbsent(v.initializer(), user);
        if (previous != null && !previous.equals(user)) {
            throw ImportException.at(node, "uses weight '" + v.initializer() + "', which " + previous
                    + " uses too; tied weights are not supported");
        }
        TensorProto init = initializers.get(v.initializer());
        return new Weight(v.initializer(), Tensors.dims(init), reinitialize ? null : Tensors.floats(init),
                v.transposed());
    }

    @Override
    public long exportBatch() {
        return signature.exportBatch();
    }

    private static NodeProto transpose() {
        return NodeProto.newBuilder().setOpType("Transpose").setName("transpose").addOutput("t").build();
    }
}
