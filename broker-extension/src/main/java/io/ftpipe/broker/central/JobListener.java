package io.ftpipe.broker.central;

/** Progress of a job, for whoever submitted it (the demo's progress bar, tests). */
public interface JobListener {
    default void event(String what) {
    }

    default void started(long totalMicroBatches) {
    }

    default void microBatchDone(long done, double recentLoss) {
    }

    /** A layout took effect: the first, and each re-plan's. */
    default void termStarted(JobReport.Term term) {
    }

    default void epochDone(JobReport.Epoch epoch) {
    }
}
