package io.ftpipe.zoo.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Layers one after another; child i's names are prefixed {@code l<i>.}. */
public record Sequential(List<Layer> layers) implements Layer {

    public static Sequential of(Layer... layers) {
        return new Sequential(List.of(layers));
    }

    @Override
    public String describe() {
        return layers.stream().map(Layer::describe).collect(Collectors.joining(" > "));
    }

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (ParamSpec p : layers.get(i).params()) {
                out.add(p.withPrefix(childName(i) + "."));
            }
        }
        return out;
    }

    @Override
    public long[] outputShape(long[] in) {
        long[] shape = in;
        for (Layer l : layers) {
            shape = l.outputShape(shape);
        }
        return shape;
    }

    @Override
    public long flops(long[] in) {
        long total = 0;
        long[] shape = in;
        for (Layer l : layers) {
            total += l.flops(shape);
            shape = l.outputShape(shape);
        }
        return total;
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        long[] shape = in;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(s.child(childName(i)), x, shape);
            shape = layers.get(i).outputShape(shape);
        }
        return x;
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        long[][] inputs = new long[layers.size()][];
        long[] shape = in;
        for (int i = 0; i < layers.size(); i++) {
            inputs[i] = shape;
            shape = layers.get(i).outputShape(shape);
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            boolean needs = i > 0 || s.needsInputGrad();
            dy = layers.get(i).backward(s.child(childName(i), needs), dy, inputs[i]);
        }
        return dy;
    }

    private static String childName(int i) {
        return "l" + i;
    }
}
