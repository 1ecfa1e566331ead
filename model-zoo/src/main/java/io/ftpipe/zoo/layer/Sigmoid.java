package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/** The logistic function; backward from the stashed output: dy * y * (1 - y). */
public record Sigmoid() implements Layer {

    @Override
    public String describe() {
        return "Sigmoid";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] in) {
        return in;
    }

    @Override
    public long flops(long[] in) {
        return 4 * Shapes.numel(in);
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        String y = s.g().op("Sigmoid", x);
        s.stash(y);
        return y;
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String y = s.stashed(0, Shapes.batched(in));
        return g.mul(dy, g.mul(y, g.sub(g.scalar(1), y)));
    }
}
