package io.ftpipe.cli.bench;

import java.util.List;

/**
 * The compute benchmark as a plain-text table for stdout: milliseconds per batch as medians with
 * the p90 in brackets, then samples per second of training and of (pipeline) inference.
 */
public final class ResultsTable {
    private static final String ROW = "%-12s %18s %20s %18s %6s %18s %11s %11s%n";

    private ResultsTable() {
    }

    public static String format(List<ComputeResult> results) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(ROW, "model", "forward (p90)", "train step (p90)", "of it Adam (p90)", "ratio",
                "exported fwd (p90)", "train/s", "infer/s"));
        for (ComputeResult r : results) {
            s.append(String.format(ROW, r.model(),
                    ms(r.forwardMs(), r.forwardP90Ms()),
                    ms(r.trainStepMs(), r.trainStepP90Ms()),
                    ms(r.optimizerMs(), r.optimizerP90Ms()),
                    String.format("%.2f", r.ratio()),
                    ms(r.exportedForwardMs(), r.exportedForwardP90Ms()),
                    String.format("%.0f", r.trainSamplesPerSecond()),
                    String.format("%.0f", r.inferenceSamplesPerSecond())));
        }
        return s.toString();
    }

    private static String ms(double median, double p90) {
        return String.format("%.3f (%.3f)", median, p90);
    }
}
