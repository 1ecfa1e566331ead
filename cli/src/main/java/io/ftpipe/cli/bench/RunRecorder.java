package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Listens to a benchmark's job: micro-batches finished over time, when each layout started, and,
 * once {@code changeAt} micro-batches are done, the scenario's change made once (its description
 * told to {@code progress}).
 */
final class RunRecorder implements JobListener {
    /** A scenario's change, made once. */
    interface Change {
        /** Makes it at second {@code at}, the job then on {@code layout} (null before its first term); says what it did. */
        String make(double at, JobReport.Term layout);
    }

    private final Timeline timeline;
    private final List<Double> terms = new ArrayList<>();
    private final long changeAt;
    private final Change change;
    private final Consumer<String> progress;
    private final long start = System.nanoTime();
    private double changed = Double.NaN;
    private String made;
    private volatile JobReport.Term layout;

    /**
     * @param changeAt micro-batches after which {@code change} runs; below 0: never
     * @param change   makes the change
     */
    RunRecorder(int batchSize, long changeAt, Change change, Consumer<String> progress) {
        this.timeline = new Timeline(batchSize);
        this.changeAt = changeAt;
        this.change = change;
        this.progress = progress;
    }

    private double now() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void microBatchDone(long done, double loss) {
        double now = now();
        timeline.add(now, done);
        if (changeAt >= 0 && done >= changeAt && Double.isNaN(changed)) {
            changed = now;
            made = change.make(now, layout);
            progress.accept(String.format("%.0fs: %s", now, made));
        }
    }

    @Override
    public void termStarted(JobReport.Term term) {
        layout = term;
        terms.add(now());
        progress.accept(String.format("%.0fs: term %d, %s, predicted %.0f samples/s", terms.get(terms.size() - 1),
                term.term(), term.describeStages(), term.predictedSamplesPerSecond()));
    }

    RunResult result(JobReport report) {
        return new RunResult(report, timeline, List.copyOf(terms), changed, made);
    }
}
