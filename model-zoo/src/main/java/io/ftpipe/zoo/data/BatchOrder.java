package io.ftpipe.zoo.data;

import java.util.SplittableRandom;

/** The order in which an epoch visits the samples, reproducible from a seed alone. */
public final class BatchOrder {

    private BatchOrder() {
    }

    /** A Fisher–Yates shuffle of {@code 0 .. n-1}, the same for the same (seed, epoch). */
    public static int[] permutation(int n, long seed, int epoch) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(mix(mix(seed) + epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Number of batches an epoch of {@code n} samples needs, the last possibly short. */
    public static int batches(int n, int batchSize) {
        if (n < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("need n >= 0 and batchSize > 0, got " + n + " and " + batchSize);
        }
        return (int) (((long) n + batchSize - 1) / batchSize);
    }

    /**
     * Stafford's mix13. SplittableRandom seeded with s + 0x9e3779b97f4a7c15 replays the stream of
     * s shifted by one draw, so seeds built by simple arithmetic on (seed, epoch) could give
     * near-identical shuffles; hashing first makes neighbouring inputs unrelated.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
