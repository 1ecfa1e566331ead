package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * a + b or a - b with numpy broadcasting: a residual join (two activations), a bias (an
 * activation and a trainable tensor, e.g. after MatMul) or a constant shift.
 */
record SumOp(Operand a, Operand b, boolean subtract, long[] out) implements Op {
    private static final String BIAS = "bias";

    @Override
    public String describe() {
        if (subtract) {
            return "Sub";
        }
        return a instanceof Operand.Bias || b instanceof Operand.Bias ? "Bias" : "Add";
    }

    @Override
    public List<ParamSpec> params() {
        for (Operand o : List.of(a, b)) {
            if (o instanceof Operand.Bias bias) {
                ParamSpec spec = ParamSpec.constant(BIAS, 0, bias.shape());
                return List.of(bias.initial() == null ? spec : spec.withInitial(bias.initial()));
            }
        }
        return List.of();
    }

    @Override
    public Map<String, String> sources() {
        for (Operand o : List.of(a, b)) {
            if (o instanceof Operand.Bias bias) {
                return Map.of(BIAS, bias.source());
            }
        }
        return Map.of();
    }

    @Override
    public List<long[]> outputShapes() {
        return List.of(out);
    }

    @Override
    public long flops() {
        return Shapes.numel(out);
    }

    @Override
    public List<String> forward(ForwardScope s, List<String> in) {
        GraphBuilder g = s.g();
        int next = 0;
        String[] v = new String[2];
        Operand[] operands = {a, b};
        for (int i = 0; i < 2; i++) {
            if (operands[i] instanceof Operand.Fixed f) {
                v[i] = g.constant(f.value().shape(), f.value().values());
            } else {
                v[i] = operands[i] instanceof Operand.Bias ? s.param(BIAS) : in.get(next++);
            }
        }
        return List.of(subtract ? g.sub(v[0], v[1]) : g.add(v[0], v[1]));
    }

    @Override
    public List<String> backward(BackwardScope s, List<String> dy, boolean[] needs) {
        GraphBuilder g = s.g();
        List<String> dx = new ArrayList<>();
        Operand[] operands = {a, b};
        for (int i = 0; i < 2; i++) {
            String d = i == 1 && subtract ? g.op("Neg", dy.get(0)) : dy.get(0);
            if (operands[i] instanceof Operand.Act act) {
                dx.add(needs[dx.size()] ? Reduce.toActivation(g, d, out, act.shape()) : null);
            } else if (operands[i] instanceof Operand.Bias bias) {
                s.grad(BIAS, Reduce.toWeight(g, d, out, bias.shape()));
            }
        }
        return dx;
    }

    @Override
    public String toString() {
        return describe() + Arrays.toString(out);
    }
}
