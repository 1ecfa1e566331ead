package io.ftpipe.cli.options;

import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.protocol.Schedule;
import picocli.CommandLine.Option;

/** {@code --schedule}: how the pipeline orders forward and backward passes. */
public final class ScheduleOption {
    @Option(names = "--schedule", defaultValue = JobDefaults.SCHEDULE, description = "1f1b (asynchronous, "
            + "PipeDream's), 1f1b-overlap (1f1b with more micro-batches in flight to overlap the broker's round "
            + "trips: faster, staler weights) or gpipe (synchronous)")
    private String schedule;

    public String name() {
        return schedule;
    }

    /** GPipe splits each batch into {@code gpipeMicroBatches}; the 1F1B schedules send it as one. */
    public int microBatches(int gpipeMicroBatches) {
        return Schedule.named(schedule).microBatchesPerStep(gpipeMicroBatches);
    }
}
