package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.Shapes;

import java.util.Arrays;

/** Numpy-style broadcasting and index arithmetic over row-major shapes. Pure. */
final class Broadcast {
    private Broadcast() {
    }

    static long[] shape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = dim(a, i, rank);
            long db = dim(b, i, rank);
            if (da != db && da != 1 && db != 1) {
                throw new ImportException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The dimension of {@code s} aligned to axis {@code i} of a rank-{@code rank} shape (1 where it has none). */
    static long dim(long[] s, int i, int rank) {
        int j = i - (rank - s.length);
        return j < 0 ? 1 : s[j];
    }

    /** For each element of {@code out}, the index of the element of {@code in} broadcast onto it. */
    static int[] sourceIndices(long[] in, long[] out) {
        int n = (int) Shapes.numel(out);
        int rank = out.length;
        long[] inStrides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            long d = dim(in, i, rank);
            inStrides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        int[] src = new int[n];
        long[] idx = new long[rank];
        for (int k = 0; k < n; k++) {
            long s = 0;
            for (int i = 0; i < rank; i++) {
                s += idx[i] * inStrides[i];
            }
            src[k] = (int) s;
            advance(idx, out);
        }
        return src;
    }

    /** For each element of x transposed by {@code perm} (null: reversed axes), its index in x. */
    static int[] transposeIndices(long[] shape, long[] perm) {
        int rank = shape.length;
        long[] p = perm == null ? ConstFolder.reversed(rank) : perm;
        long[] strides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        long[] outShape = new long[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[(int) p[i]];
        }
        int n = (int) Shapes.numel(shape);
        int[] src = new int[n];
        long[] idx = new long[rank];
        for (int k = 0; k < n; k++) {
            long s = 0;
            for (int i = 0; i < rank; i++) {
                s += idx[i] * strides[(int) p[i]];
            }
            src[k] = (int) s;
            advance(idx, outShape);
        }
        return src;
    }

    /** Moves {@code idx} to the next element of {@code shape} in row-major order (to zeros after the last). */
    static void advance(long[] idx, long[] shape) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < shape[i]) {
                return;
            }
            idx[i] = 0;
        }
    }
}
