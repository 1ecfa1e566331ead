package io.ftpipe.broker.central;

/** Progress of a job, for whoever submitted it (the demo's progress bar, tests). */
public interface JobListener {
    default void event(String what) {
    }

    default void started(long totalMicroBatches) {
    }

    default void microBatchDone(long done, double recentLoss) {
    }

    default void epochDone(JobReport.Epoch epoch) {
    }
}
