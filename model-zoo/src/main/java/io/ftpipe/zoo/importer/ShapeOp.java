package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;

import java.util.Arrays;
import java.util.List;

/**
 * A node that only rearranges the elements of each sample: Reshape, Flatten, Squeeze and
 * Unsqueeze (a reshape, {@code perm} null) or Transpose (with {@code perm} over the per-sample
 * axes). Backward rearranges the gradient back.
 */
record ShapeOp(String kind, long[] in, long[] out, int[] perm) implements Op {

    static ShapeOp reshape(String kind, long[] in, long[] out) {
        return new ShapeOp(kind, in, out, null);
    }

    static ShapeOp transpose(long[] in, int[] perm) {
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[perm[i]];
        }
        return new ShapeOp("Transpose", in, out, perm);
    }

    @Override
    public String describe() {
        return kind + Arrays.toString(out);
    }

    @Override
    public List<long[]> outputShapes() {
        return List.of(out);
    }

    @Override
    public long flops() {
        return 0;
    }

    @Override
    public List<String> forward(ForwardScope s, List<String> x) {
        if (perm == null) {
            return List.of(LayerOp.reshape(s.g(), x.get(0), in, out));
        }
        return List.of(s.g().transpose(x.get(0), batched(perm)));
    }

    @Override
    public List<String> backward(BackwardScope s, List<String> dy, boolean[] needs) {
        if (!needs[0]) {
            return Arrays.asList((String) null);
        }
        if (perm == null) {
            return List.of(LayerOp.reshape(s.g(), dy.get(0), out, in));
        }
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return List.of(s.g().transpose(dy.get(0), batched(inverse)));
    }

    /** The permutation of the batched tensor: the batch stays first. */
    private static long[] batched(int[] perm) {
        long[] p = new long[perm.length + 1];
        for (int i = 0; i < perm.length; i++) {
            p[i + 1] = perm[i] + 1;
        }
        return p;
    }
}
