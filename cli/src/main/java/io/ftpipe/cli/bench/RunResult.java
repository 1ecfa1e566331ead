package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;

import java.util.List;

/**
 * What one benchmark job produced: its report, micro-batches finished over time, when each layout
 * started (seconds since submission), and when the scenario's change was made (NaN without one)
 * and what it was (null without one).
 */
public record RunResult(JobReport report, Timeline timeline, List<Double> termSeconds, double changeSeconds,
                        String change) {
}
