package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.List;

/** The adjoint of broadcasting: sums a gradient, of batched shape [N, out...], down to what was broadcast. */
final class Reduce {
    private Reduce() {
    }

    /** To an activation of the same rank, per-sample shape {@code act}. */
    static String toActivation(GraphBuilder g, String d, long[] out, long[] act) {
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (act[i] == 1 && out[i] != 1) {
                axes.add((long) i + 1);
            }
        }
        return axes.isEmpty() ? d : g.reduceSum(d, true, toArray(axes));
    }

    /** To a weight or constant of full shape {@code full}, aligned from the right; the batch is summed. */
    static String toWeight(GraphBuilder g, String d, long[] out, long[] full) {
        int rank = out.length + 1;
        List<Long> axes = new ArrayList<>(List.of(0L));
        for (int i = 1; i < rank; i++) {
            if (Broadcast.dim(full, i, rank) == 1 && out[i - 1] != 1) {
                axes.add((long) i);
            }
        }
        return g.reshape(g.reduceSum(d, true, toArray(axes)), full);
    }

    private static long[] toArray(List<Long> axes) {
        return axes.stream().mapToLong(Long::longValue).toArray();
    }
}
