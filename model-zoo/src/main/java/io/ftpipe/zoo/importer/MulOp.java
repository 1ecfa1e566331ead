package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * a * b or a / b with numpy broadcasting, where a divisor is always a constant: scaling by a
 * constant, or the product of two activations (a gate), whose backward needs both stashed.
 */
record MulOp(Operand a, Operand b, boolean divide, long[] out) implements Op {

    MulOp {
        if (a instanceof Operand.Bias || b instanceof Operand.Bias || (divide && !(b instanceof Operand.Fixed))) {
            throw new IllegalArgumentException("MulOp multiplies activations and constants and divides by constants");
        }
    }

    @Override
    public String describe() {
        return divide ? "Div" : "Mul";
    }

    @Override
    public List<long[]> outputShapes() {
        return List.of(out);
    }

    @Override
    public long flops() {
        return Shapes.numel(out);
    }

    private boolean twoActivations() {
        return a instanceof Operand.Act && b instanceof Operand.Act;
    }

    @Override
    public List<String> forward(ForwardScope s, List<String> in) {
        GraphBuilder g = s.g();
        String va = a instanceof Operand.Fixed f ? constant(g, f) : in.get(0);
        String vb = b instanceof Operand.Fixed f ? constant(g, f) : in.get(a instanceof Operand.Act ? 1 : 0);
        if (twoActivations()) {
            s.stash(va);
            s.stash(vb);
        }
        return List.of(divide ? g.div(va, vb) : g.mul(va, vb));
    }

    @Override
    public List<String> backward(BackwardScope s, List<String> dy, boolean[] needs) {
        GraphBuilder g = s.g();
        String d = dy.get(0);
        List<String> dx = new ArrayList<>();
        if (a instanceof Operand.Act act) {
            String other = b instanceof Operand.Fixed f ? constant(g, f) : s.stashed(1);
            String da = divide ? g.div(d, other) : g.mul(d, other);
            dx.add(needs[0] ? Reduce.toActivation(g, da, out, act.shape()) : null);
        }
        if (b instanceof Operand.Act act) {
            String other = a instanceof Operand.Fixed f ? constant(g, f) : s.stashed(0);
            dx.add(needs[dx.size()] ? Reduce.toActivation(g, g.mul(d, other), out, act.shape()) : null);
        }
        return dx;
    }

    private static String constant(GraphBuilder g, Operand.Fixed f) {
        return g.constant(f.value().shape(), f.value().values());
    }
}
