package io.ftpipe.cli.train;

import io.ftpipe.cli.progress.ProgressBars;
import io.ftpipe.zoo.train.EpochResult;
import io.ftpipe.zoo.train.TrainListener;
import me.tongfei.progressbar.ProgressBar;

import io.ftpipe.cli.report.TrainingChart;

import java.io.PrintWriter;

/**
 * Shows a training run: one progress bar per epoch on stderr with the epoch's running mean loss,
 * then one summary line per epoch on stdout. A bar per epoch (rather than one for the run) ends
 * each bar before its summary line is printed, so the two streams never draw over each other.
 */
public final class TrainingProgress implements TrainListener, AutoCloseable {
    private final PrintWriter out;
    private final TrainingChart chart;
    private long steps;
    private final PrintWriter err;
    private final int epochs;
    private final int trainSamples;
    private long stepsPerEpoch;
    private ProgressBar bar;
    private int epoch;
    private double lossSum;
    private long stepsThisEpoch;

    public TrainingProgress(PrintWriter out, PrintWriter err, int epochs, int trainSamples, TrainingChart chart) {
        this.chart = chart;
        this.out = out;
        this.err = err;
        this.epochs = epochs;
        this.trainSamples = trainSamples;
    }

    @Override
    public void started(long totalSteps) {
        stepsPerEpoch = totalSteps / epochs;
        openBar();
    }

    @Override
    public void stepped(long step, double loss) {
        lossSum += loss;
        stepsThisEpoch++;
        steps = step;
        if (step % 10 == 0) {
            chart.loss(step, lossSum / stepsThisEpoch);
        }
        bar.step();
        String message = String.format("loss %.4f", lossSum / stepsThisEpoch);
        // The test set is evaluated after the last step, which takes a moment: say so.
        bar.setExtraMessage(stepsThisEpoch == stepsPerEpoch ? message + ", evaluating" : message);
    }

    @Override
    public void evaluated(EpochResult e) {
        closeBar();
        chart.testAccuracy(steps, e.testAccuracy());
        out.printf("epoch %d/%d  train loss %.4f  train acc %5.2f%%  test loss %.4f  test acc %5.2f%%  (%.1f s, %.0f samples/s)%n",
                e.epoch(), epochs, e.trainLoss(), 100 * e.trainAccuracy(), e.testLoss(), 100 * e.testAccuracy(),
                e.trainSeconds(), trainSamples / e.trainSeconds());
        out.flush();
        if (e.epoch() < epochs) {
            openBar();
        }
    }

    private void openBar() {
        epoch++;
        lossSum = 0;
        stepsThisEpoch = 0;
        bar = ProgressBars.open(err, "epoch " + epoch + "/" + epochs, stepsPerEpoch);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Ends a bar left open by a failed run, so the error message starts on a fresh line. */
    @Override
    public void close() {
        closeBar();
    }
}
