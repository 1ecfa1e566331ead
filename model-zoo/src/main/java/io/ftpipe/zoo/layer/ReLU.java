package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/**
 * ReLU, or ReLU6 when {@code cap} is 6. Stashes its derivative as a 0/1 mask (where the input
 * passed through unchanged); ONNX Runtime multiplies by it several times faster than it runs
 * Where on a boolean mask.
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
        // One Clip pass, not Relu then Min; in an exported model ONNX Runtime fuses it into the convolution.
        String y = capped() ? g.op("Clip", List.of(x, g.scalar(0), g.scalar(cap))) : g.op("Relu", x);
        if (s.training()) {
            s.stash(g.op("Cast", g.op("Equal", x, y), Attr.i("to", g.dtype().onnxCode())));
        }
        return y;
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        return g.mul(dy, s.stashed(0, Shapes.batched(in)));
    }
}
