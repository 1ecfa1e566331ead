package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;

import java.util.List;

/** [C, H, W] to [C*H*W]. */
public record Flatten() implements Layer {

    @Override
    public String describe() {
        return "Flatten";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] in) {
        return new long[]{Shapes.numel(in)};
    }

    @Override
    public long flops(long[] in) {
        return 0;
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        return s.g().op("Flatten", x, Attr.i("axis", 1));
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        return s.g().reshape(dy, Shapes.batched(in));
    }
}
