package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/**
 * ReLU, or ReLU6 when {@code cap} is 6. Stashes a boolean mask (a quarter of the bytes of the
 * activation), which matters when many micro-batches are in flight.
 */
public record ReLU(double cap) implements Layer {

    public static ReLU relu() {
        return new ReLU(Double.POSITIVE_INFINITY);
    }

    public static ReLU relu6() {
        return new ReLU(6);
    }

    private boolean capped() {
        return !Double.isInfinite(cap);
    }

    @Override
    public String describe() {
        return capped() ? "ReLU6" : "ReLU";
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
        return Shapes.numel(in);
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        GraphBuilder g = s.g();
        if (s.training()) {
            String mask = g.op("Greater", x, g.scalar(0));
            if (capped()) {
                mask = g.op("And", mask, g.op("Less", x, g.scalar(cap)));
            }
            s.stash(mask, DType.BOOL);
        }
        return capped() ? g.op("Clip", List.of(x, g.scalar(0), g.scalar(cap))) : g.op("Relu", x);
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        return g.op("Where", List.of(s.stashed(0), dy, g.scalar(0)));
    }
}
