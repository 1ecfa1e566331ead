package io.ftpipe.broker.central;

/** Progress of a job, for whoever submitted it (the demo's progress bar, tests). */
public interface JobListener {
    /** Listens to nothing. */
    JobListener NONE = new JobListener() {
    };

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

    /** A re-plan from measured capacities took effect (after its {@link #termStarted}). */
    default void replanned(JobReport.Term term) {
    }

    /**
     * The job recovered from failed devices or a stalled pipeline, in a new term (after its
     * {@link #termStarted}). Called while the job holds its lock: be quick, do not call back into it.
     */
    default void recovered(JobReport.Recovery recovery) {
    }

    /** Tells {@code first}, then {@code second}. */
    static JobListener both(JobListener first, JobListener second) {
        return new JobListener() {
            @Override
            public void event(String what) {
                first.event(what);
                second.event(what);
            }

            @Override
            public void started(long totalMicroBatches) {
                first.started(totalMicroBatches);
                second.started(totalMicroBatches);
            }

            @Override
            public void microBatchDone(long done, double recentLoss) {
                first.microBatchDone(done, recentLoss);
                second.microBatchDone(done, recentLoss);
            }

            @Override
            public void termStarted(JobReport.Term term) {
                first.termStarted(term);
                second.termStarted(term);
            }

            @Override
            public void epochDone(JobReport.Epoch epoch) {
                first.epochDone(epoch);
                second.epochDone(epoch);
            }

            @Override
            public void replanned(JobReport.Term term) {
                first.replanned(term);
                second.replanned(term);
            }

            @Override
            public void recovered(JobReport.Recovery recovery) {
                first.recovered(recovery);
                second.recovered(recovery);
            }
        };
    }
}
