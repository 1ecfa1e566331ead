package io.ftpipe.zoo.layer;

import java.util.List;

/** A pooling layer: no parameters, its window slid over each channel of a (channels, height, width) input. */
public interface Pooling extends Layer {
    Window w();

    @Override
    default List<ParamSpec> params() {
        return List.of();
    }

    @Override
    default long[] outputShape(long[] in) {
        return new long[]{in[0], w().outH(in[1]), w().outW(in[2])};
    }

    @Override
    default long flops(long[] in) {
        return Shapes.numel(outputShape(in)) * w().kh() * w().kw();
    }
}
