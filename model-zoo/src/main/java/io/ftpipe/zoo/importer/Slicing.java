package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.Shapes;

/**
 * An ONNX Slice resolved against a shape: per axis, the first index taken, the step and the
 * count (every axis of the shape; untouched axes start at 0 with step 1). Pure.
 */
record Slicing(long[] start, long[] step, long[] outShape) {

    static Slicing of(long[] shape, long[] starts, long[] ends, long[] axes, long[] steps) {
        int rank = shape.length;
        long[] start = new long[rank];
        long[] step = new long[rank];
        long[] out = shape.clone();
        java.util.Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = (int) (axes == null ? i : axes[i] < 0 ? axes[i] + rank : axes[i]);
            long dim = shape[axis];
            long st = steps == null ? 1 : steps[i];
            if (st == 0) {
                throw new ImportException("Slice with step 0");
            }
            long b = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 && ends[i] > Long.MIN_VALUE / 2 ? ends[i] + dim : ends[i];
            if (st > 0) {
                b = clamp(b, 0, dim);
                e = clamp(e, 0, dim);
            } else {
                b = clamp(b, 0, dim - 1);
                e = clamp(e, -1, dim - 1);
            }
            start[axis] = b;
            step[axis] = st;
            out[axis] = Math.max(0, st > 0 ? (e - b + st - 1) / st : (b - e - st - 1) / -st);
        }
        return new Slicing(start, step, out);
    }

    /** Axes whose range is not the whole dimension of {@code shape}. */
    boolean cuts(long[] shape, int axis) {
        return start[axis] != 0 || step[axis] != 1 || outShape[axis] != shape[axis];
    }

    /** For each element of the slice, its index in the (row-major) input of shape {@code shape}. */
    int[] sourceIndices(long[] shape) {
        int rank = shape.length;
        long[] strides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        int n = (int) Shapes.numel(outShape);
        int[] src = new int[n];
        long[] idx = new long[rank];
        for (int k = 0; k < n; k++) {
            long s = 0;
            for (int i = 0; i < rank; i++) {
                s += (start[i] + idx[i] * step[i]) * strides[i];
            }
            src[k] = (int) s;
            Broadcast.advance(idx, outShape);
        }
        return src;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(v, hi));
    }
}
