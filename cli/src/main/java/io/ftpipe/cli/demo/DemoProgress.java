package io.ftpipe.cli.demo;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.cli.bench.Timeline;
import io.ftpipe.cli.progress.ProgressBars;
import io.ftpipe.cli.report.TrainingChart;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintWriter;

/** Shows a pipeline job: events as lines, a progress bar over micro-batches, a line per epoch. */
public final class DemoProgress implements JobListener, AutoCloseable {
    private final PrintWriter out;
    private final PrintWriter err;
    private final TrainingChart chart = new TrainingChart();
    /** Throughput is averaged over windows this long (seconds) for the picture. */
    private static final double WINDOW = 4;
    private final Timeline timeline;
    private long startNanos = System.nanoTime();
    private ProgressBar bar;
    private long done;
    private double loss = Double.NaN;
    /** The latest event while the bar runs: a line of its own would tear the bar, so it rides along. */
    private String lastEvent = "";

    public DemoProgress(PrintWriter out, PrintWriter err, int samplesPerMicroBatch) {
        this.out = out;
        this.err = err;
        this.timeline = new Timeline(samplesPerMicroBatch);
    }

    @Override
    public synchronized void event(String what) {
        if (bar == null) {
            err.println("  " + what);
            err.flush();
        } else {
            lastEvent = what.length() > 70 ? what.substring(0, 67) + "..." : what;
            showExtra();
        }
    }

    @Override
    public synchronized void started(long totalMicroBatches) {
        bar = ProgressBars.open(err, "training", totalMicroBatches);
        startNanos = System.nanoTime();
    }

    @Override
    public synchronized void microBatchDone(long done, double recentLoss) {
        this.done = done;
        chart.loss(done, recentLoss);
        timeline.add(seconds(), done);
        if (!Double.isNaN(recentLoss)) {
            loss = recentLoss;
        }
        if (bar != null) {
            bar.stepTo(done);
            showExtra();
        }
    }

    private void showExtra() {
        bar.setExtraMessage((Double.isNaN(loss) ? "" : String.format("loss %.4f", loss))
                + (lastEvent.isEmpty() ? "" : " | " + lastEvent));
    }

    @Override
    public synchronized void epochDone(JobReport.Epoch e) {
        chart.testAccuracy(done, e.testAccuracy());
        out.printf("epoch %d  train loss %.4f  train acc %5.2f%%  test loss %.4f  test acc %5.2f%%  (%.1f s)%n",
                e.epoch(), e.trainLoss(), 100 * e.trainAccuracy(), e.testLoss(), 100 * e.testAccuracy(),
                e.trainSeconds());
        out.flush();
    }

    @Override
    public synchronized void replanned(JobReport.Term term) {
        chart.moment("re-partition", seconds());
    }

    @Override
    public synchronized void recovered(JobReport.Recovery recovery) {
        chart.moment("recovery", seconds());
    }

    /** The picture of the run so far: loss, accuracy, and throughput with its moments. */
    public synchronized TrainingChart chart() {
        chart.throughput(timeline.windowed(WINDOW));
        return chart;
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
