package io.ftpipe.zoo.train;

/** Training and test metrics after one epoch; {@code trainSeconds} excludes evaluation. */
public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double trainSeconds) {
}
