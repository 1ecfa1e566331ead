package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.Layer;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One partition unit of an imported model: a small graph of nodes between one tensor coming in
 * and one going out (a residual block is one). Forward emits each node's forward in topological
 * order; backward walks the nodes in reverse, summing the gradients of tensors used more than
 * once. Node k's names are prefixed {@code n<k>.}.
 */
public final class GraphUnit implements Layer {

    /** A node: its op, and the activation tensors (ONNX names) it reads and writes. */
    record Step(Op op, List<String> inputs, List<String> outputs) {
    }

    private final String input;
    private final String output;
    private final long[] in;
    private final long[] out;
    private final List<Step> steps;

    GraphUnit(String input, String output, long[] in, long[] out, List<Step> steps) {
        this.input = input;
        this.output = output;
        this.in = in;
        this.out = out;
        this.steps = List.copyOf(steps);
    }

    @Override
    public String describe() {
        return steps.stream().map(s -> s.op().describe()).collect(Collectors.joining(" > "));
    }

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            for (ParamSpec p : steps.get(k).op().params()) {
                out.add(p.withPrefix(prefix(k)));
            }
        }
        return out;
    }

    /** Local parameter name (as in {@link #params}) to the ONNX initializer it came from. */
    public Map<String, String> sources() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < steps.size(); k++) {
            for (var e : steps.get(k).op().sources().entrySet()) {
                out.put(prefix(k) + e.getKey(), e.getValue());
            }
        }
        return out;
    }

    @Override
    public long[] outputShape(long[] shape) {
        if (!Arrays.equals(shape, in)) {
            throw new IllegalArgumentException("unit reading " + input + " takes per-sample shape " + Arrays.toString(in)
                    + ", not " + Arrays.toString(shape));
        }
        return out;
    }

    @Override
    public long flops(long[] shape) {
        return steps.stream().mapToLong(s -> s.op().flops()).sum();
    }

    @Override
    public String forward(ForwardScope s, String x, long[] shape) {
        outputShape(shape);
        Map<String, String> values = new HashMap<>(Map.of(input, x));
        for (int k = 0; k < steps.size(); k++) {
            Step step = steps.get(k);
            List<String> ins = step.inputs().stream().map(values::get).toList();
            List<String> outs = step.op().forward(s.child(name(k)), ins);
            for (int i = 0; i < outs.size(); i++) {
                values.put(step.outputs().get(i), outs.get(i));
            }
        }
        return values.get(output);
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] shape) {
        GraphBuilder g = s.g();
        Map<String, Boolean> needs = new HashMap<>(Map.of(input, s.needsInputGrad()));
        for (Step step : steps) {
            boolean any = step.op().params().stream().anyMatch(ParamSpec::trainable)
                    || step.inputs().stream().anyMatch(needs::get);
            step.outputs().forEach(o -> needs.put(o, any));
        }
        Map<String, List<String>> grads = new HashMap<>();
        grads.computeIfAbsent(output, k -> new ArrayList<>()).add(dy);
        for (int k = steps.size() - 1; k >= 0; k--) {
            Step step = steps.get(k);
            List<String> dys = step.outputs().stream().map(o -> sum(g, grads.get(o))).toList();
            boolean[] wanted = new boolean[step.inputs().size()];
            boolean anyWanted = false;
            for (int i = 0; i < wanted.length; i++) {
                wanted[i] = needs.get(step.inputs().get(i));
                anyWanted |= wanted[i];
            }
            boolean trainable = step.op().params().stream().anyMatch(ParamSpec::trainable);
            if (dys.stream().allMatch(d -> d == null) || (!anyWanted && !trainable)) {
                continue;
            }
            List<String> dxs = step.op().backward(s.child(name(k), anyWanted), dys, wanted);
            for (int i = 0; i < dxs.size(); i++) {
                if (dxs.get(i) != null) {
                    grads.computeIfAbsent(step.inputs().get(i), t -> new ArrayList<>()).add(dxs.get(i));
                }
            }
        }
        return s.needsInputGrad() ? sum(g, grads.get(input)) : null;
    }

    private static String sum(GraphBuilder g, List<String> parts) {
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        String total = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            total = g.add(total, parts.get(i));
        }
        return total;
    }

    private static String name(int k) {
        return "n" + k;
    }

    private static String prefix(int k) {
        return name(k) + ".";
    }
}
