package io.ftpipe.zoo.layer;

import java.util.List;

/** A layer without parameters that maps each element on its own: the output has the input's shape. */
public interface Elementwise extends Layer {
    /** Floating-point operations per element. */
    default long flopsPerElement() {
        return 1;
    }

    @Override
    default List<ParamSpec> params() {
        return List.of();
    }

    @Override
    default long[] outputShape(long[] in) {
        return in;
    }

    @Override
    default long flops(long[] in) {
        return flopsPerElement() * Shapes.numel(in);
    }
}
