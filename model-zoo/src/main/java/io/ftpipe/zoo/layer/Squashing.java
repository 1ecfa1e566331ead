package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.GraphBuilder;

/**
 * The logistic function or the hyperbolic tangent: both have a derivative written in their
 * output, so backward uses the stashed output: dy * y * (1 - y), and dy * (1 - y^2).
 */
public record Squashing(Kind kind) implements Elementwise {
    public enum Kind {
        SIGMOID("Sigmoid"), TANH("Tanh");

        private final String op;

        Kind(String op) {
            this.op = op;
        }
    }

    public static Squashing sigmoid() {
        return new Squashing(Kind.SIGMOID);
    }

    public static Squashing tanh() {
        return new Squashing(Kind.TANH);
    }

    @Override
    public String describe() {
        return kind.op;
    }

    @Override
    public long flopsPerElement() {
        return 4;
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        String y = s.g().op(kind.op, x);
        s.stash(y);
        return y;
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String y = s.stashed(0, Shapes.batched(in));
        String slope = kind == Kind.SIGMOID ? g.mul(y, g.sub(g.scalar(1), y)) : g.sub(g.scalar(1), g.mul(y, y));
        return g.mul(dy, slope);
    }
}
