package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/** Hyperbolic tangent; backward from the stashed output: dy * (1 - y^2). */
public record Tanh() implements Layer {

    @Override
    public String describe() {
        return "Tanh";
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
        String y = s.g().op("Tanh", x);
        s.stash(y);
        return y;
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String y = s.stashed(0, Shapes.batched(in));
        return g.mul(dy, g.sub(g.scalar(1), g.mul(y, y)));
    }
}
