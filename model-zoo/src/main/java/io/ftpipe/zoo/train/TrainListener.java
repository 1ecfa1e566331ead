package io.ftpipe.zoo.train;

/** Progress of a training run, for progress bars and logs. */
public interface TrainListener {
    default void started(long totalSteps) {
    }

    default void stepped(long step, double loss) {
    }

    default void evaluated(EpochResult epoch) {
    }
}
