package io.ftpipe.zoo.layer;

import java.util.List;

/** y = body(x) + x. The body's names are the residual's own. */
public record Residual(Layer body) implements Layer {

    @Override
    public String describe() {
        return "Residual(" + body.describe() + ")";
    }

    @Override
    public List<ParamSpec> params() {
        return body.params();
    }

    @Override
    public long[] outputShape(long[] in) {
        long[] out = body.outputShape(in);
        if (!java.util.Arrays.equals(out, in)) {
            throw new IllegalArgumentException("residual body changes the shape " + java.util.Arrays.toString(in)
                    + " to " + java.util.Arrays.toString(out));
        }
        return out;
    }

    @Override
    public long flops(long[] in) {
        return body.flops(in) + Shapes.numel(in);
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        return s.g().add(body.forward(s, x, in), x);
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        String dx = body.backward(s, dy, in);
        return dx == null ? null : s.g().add(dx, dy);
    }
}
