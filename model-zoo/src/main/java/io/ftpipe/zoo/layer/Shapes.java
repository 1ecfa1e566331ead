package io.ftpipe.zoo.layer;

/** Per-sample shapes (the batch dimension left out) and their arithmetic. */
public final class Shapes {
    private Shapes() {
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** {@code [-1, dims...]}: the shape with a batch dimension, as graph inputs and Reshape take it. */
    public static long[] batched(long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = -1;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    /** Output size of a convolution or pooling window along one axis. */
    public static long convOut(long in, long kernel, long stride, long pad) {
        return (in + 2 * pad - kernel) / stride + 1;
    }
}
