package io.ftpipe.broker.central;

import java.util.List;
import java.util.Map;

/** The outcome of a job. */
public record JobReport(String job, String model, String schedule, List<String> devices, List<Stage> stages,
                        List<Epoch> epochs, double testAccuracy, double samplesPerSecond, double seconds,
                        List<String> events, Map<String, Long> rejected, String modelPath) {

    /** Which device ran which units. */
    public record Stage(int stage, String device, int from, int to) {
    }

    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                        double trainSeconds) {
    }
}
