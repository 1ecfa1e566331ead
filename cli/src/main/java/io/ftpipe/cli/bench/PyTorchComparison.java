package io.ftpipe.cli.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One model's training step and evaluation forward here and in PyTorch, each the median over
 * alternated rounds (ours first in even rounds, PyTorch first in odd ones, so a drifting machine
 * falls on both), and the ratio a user cares about: ours / PyTorch.
 */
public record PyTorchComparison(String model, double oursTrainStepMs, double pytorchTrainStepMs,
                                double trainStepRatio, double oursForwardMs, double pytorchEvalForwardMs,
                                List<double[]> rounds) {

    /** @param rounds per round: ours train step, PyTorch train step, ours forward, PyTorch eval forward (ms) */
    public static PyTorchComparison of(String model, List<double[]> rounds) {
        double ours = median(rounds, 0);
        double theirs = median(rounds, 1);
        return new PyTorchComparison(model, ours, theirs, ours / theirs, median(rounds, 2), median(rounds, 3),
                List.copyOf(rounds));
    }

    private static double median(List<double[]> rounds, int column) {
        double[] v = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public String toString() {
        return String.format("%-12s ours %8.2f ms  PyTorch %8.2f ms  ours/PyTorch %.2f  (forward: ours %.2f, "
                + "PyTorch eval %.2f)  rounds %s", model, oursTrainStepMs, pytorchTrainStepMs, trainStepRatio,
                oursForwardMs, pytorchEvalForwardMs, rounds.stream().map(Arrays::toString).toList());
    }
}
