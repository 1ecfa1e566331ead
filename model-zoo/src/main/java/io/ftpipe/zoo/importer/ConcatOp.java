package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Concat of activations along a per-sample axis (channels, usually), or its inverse Split: each
 * one's backward is the other on the gradient. An output of a Split that nothing used sends back zeros.
 *
 * @param axis  per-sample axis
 * @param parts the per-sample shapes of the pieces (the Concat's inputs, the Split's outputs)
 */
record ConcatOp(boolean split, long[] whole, int axis, List<long[]> parts) implements Op {

    static ConcatOp concat(List<long[]> inputs, int axis) {
        long[] whole = inputs.get(0).clone();
        whole[axis] = inputs.stream().mapToLong(p -> p[axis]).sum();
        return new ConcatOp(false, whole, axis, inputs);
    }

    static ConcatOp split(long[] in, int axis, long[] sizes) {
        List<long[]> parts = new ArrayList<>();
        for (long size : sizes) {
            long[] p = in.clone();
            p[axis] = size;
            parts.add(p);
        }
        return new ConcatOp(true, in, axis, parts);
    }

    @Override
    public String describe() {
        return (split ? "Split" : "Concat") + "(axis " + axis + ")";
    }

    @Override
    public List<long[]> outputShapes() {
        return split ? parts : List.of(whole);
    }

    @Override
    public long flops() {
        return 0;
    }

    @Override
    public List<String> forward(ForwardScope s, List<String> in) {
        return split ? split(s.g(), in.get(0)) : List.of(concat(s.g(), in));
    }

    @Override
    public List<String> backward(BackwardScope s, List<String> dy, boolean[] needs) {
        GraphBuilder g = s.g();
        if (!split) {
            List<String> pieces = split(g, dy.get(0));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                out.add(needs[i] ? pieces.get(i) : null);
            }
            return out;
        }
        if (!needs[0]) {
            return Arrays.asList((String) null);
        }
        String like = dy.stream().filter(d -> d != null).findFirst().orElseThrow();
        List<String> grads = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            grads.add(dy.get(i) != null ? dy.get(i) : g.op("ConstantOfShape", g.batchShape(like, parts.get(i)),
                    Attr.tensor("value", g.scalarTensor(0))));
        }
        return List.of(concat(g, grads));
    }

    private String concat(GraphBuilder g, List<String> in) {
        return g.op("Concat", in, Attr.i("axis", axis + 1));
    }

    private List<String> split(GraphBuilder g, String x) {
        long[] sizes = parts.stream().mapToLong(p -> p[axis]).toArray();
        AttributeProto a = Attr.i("axis", axis + 1);
        return List.of(g.op("Split", List.of(x, g.ints(sizes)), parts.size(), a));
    }
}
