package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/** [C, H, W] to [C], the mean over each channel. */
public record GlobalAvgPool() implements Layer {

    @Override
    public String describe() {
        return "GlobalAvgPool";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] in) {
        return new long[]{in[0]};
    }

    @Override
    public long flops(long[] in) {
        return Shapes.numel(in);
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        return s.g().reduceMean(x, false, 2, 3);
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String scaled = g.mul(dy, g.scalar(1.0 / (in[1] * in[2])));
        return g.op("Expand", g.unsqueeze(scaled, 2, 3), g.ints(1, 1, in[1], in[2]));
    }
}
