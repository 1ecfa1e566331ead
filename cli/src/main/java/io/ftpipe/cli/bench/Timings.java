package io.ftpipe.cli.bench;

import java.util.Arrays;

/**
 * Median and 90th percentile of repeated measurements, in milliseconds. Medians, not means: one
 * garbage collection or scheduler hiccup on a 2-core machine would move a mean a lot.
 */
public record Timings(double medianMs, double p90Ms) {

    public static Timings of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        // Nearest rank: the smallest value that at least 90% of the measurements do not exceed.
        long p90 = sorted[(int) Math.ceil(0.9 * n) - 1];
        return new Timings(median / 1e6, p90 / 1e6);
    }
}
