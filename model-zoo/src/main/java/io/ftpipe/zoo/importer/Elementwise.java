package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.Arrays;
import java.util.List;

/**
 * Add, Sub, Mul and Div with numpy broadcasting. A float initializer added to an activation is a
 * trainable bias (the exporter's MatMul + Add); under Sub, Mul or Div it is a constant.
 */
final class Elementwise {
    static final List<String> OPS = List.of("Add", "Sub", "Mul", "Div");

    private Elementwise() {
    }

    static List<GraphUnit.Step> map(NodeProto node, Values v) {
        String op = node.getOpType();
        Operand a = operand(node, v, 0, op.equals("Add") && v.isActivation(node.getInput(1)));
        Operand b = operand(node, v, 1, op.equals("Add") && v.isActivation(node.getInput(0)));
        long[] out = outputShape(node, a, b);
        List<String> inputs = node.getInputList().stream().filter(v::isActivation).toList();
        Op result;
        if (op.equals("Add") || op.equals("Sub")) {
            result = new SumOp(a, b, op.equals("Sub"), out);
        } else {
            if (op.equals("Div") && !(b instanceof Operand.Fixed)) {
                return Catalog.refuse(node, "divides by an activation; only division by a constant is supported");
            }
            result = new MulOp(a, b, op.equals("Div"), out);
        }
        return List.of(new GraphUnit.Step(result, inputs, List.of(node.getOutput(0))));
    }

    private static Operand operand(NodeProto node, Values v, int i, boolean biasAllowed) {
        String t = node.getInput(i);
        if (v.isActivation(t)) {
            return new Operand.Act(v.shape(t));
        }
        if (biasAllowed && v.isWeight(t)) {
            Values.Weight w = v.weight(node, i);
            if (w.transposed()) {
                return Catalog.refuse(node, "adds a transposed weight '" + w.source() + "'");
            }
            return new Operand.Bias(w.source(), w.shape(), w.values());
        }
        return new Operand.Fixed(v.constant(node, i));
    }

    /** The per-sample output shape; activations must have its rank, and nothing may broadcast over the batch. */
    private static long[] outputShape(NodeProto node, Operand a, Operand b) {
        long[] fa = full(a);
        long[] fb = full(b);
        long[] out;
        try {
            out = Broadcast.shape(fa, fb);
        } catch (ImportException e) {
            return Catalog.refuse(node, e.getMessage());
        }
        boolean actFirst = a instanceof Operand.Act || b instanceof Operand.Act;
        if (!actFirst || out.length < 1 || out[0] != 1) {
            return Catalog.refuse(node, "broadcasts a tensor of shape " + Arrays.toString(out.length == fa.length ? fa : fb)
                    + " over the batch dimension");
        }
        long[] sample = Arrays.copyOfRange(out, 1, out.length);
        for (Operand o : List.of(a, b)) {
            if (o instanceof Operand.Act act && act.shape().length != sample.length) {
                return Catalog.refuse(node, "joins activations of per-sample shapes of different ranks "
                        + Arrays.toString(act.shape()) + " and " + Arrays.toString(sample));
            }
        }
        return sample;
    }

    /** The full shape with a batch of 1 in front of an activation's, so that a constant cannot hide a batch axis. */
    private static long[] full(Operand o) {
        if (o instanceof Operand.Act act) {
            long[] f = new long[act.shape().length + 1];
            f[0] = 1;
            System.arraycopy(act.shape(), 0, f, 1, act.shape().length);
            return f;
        }
        return o instanceof Operand.Fixed fixed ? fixed.value().shape() : ((Operand.Bias) o).shape();
    }
}
