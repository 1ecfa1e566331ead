package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobStateTest {
    private final FakeClock clock = new FakeClock();
    private final JobState state = new JobState(new JobSpec("j", "mlp", 2, Schedule.Names.GPIPE, 32, 2, 2,
            OptimizerConfig.adam(1e-3, 0), 1, 128, 0, JobSpec.SPEED_BLIND, JobSpec.Replication.DEFAULT),
            clock, clock.getAsLong(), r -> { });

    /**
     * A central node killed between an epoch's end and the next checkpoint resumes from the one
     * written at that end: it must start the next epoch from no samples (found by bench chaos,
     * which saw an epoch of twice the samples after a broker kill).
     */
    @Test
    void aCheckpointWrittenAsAnEpochEndsResumesTheNextEpochFromNoSamples() {
        for (int i = 0; i < 4; i++) {
            state.progress.record(new Message.Progress("j", 1, i, 1, Message.Progress.LOSS, 0.5, 20, 32));
            state.progress.record(new Message.Progress("j", 1, i, 0, Message.Progress.DONE, 0, 0, 32));
        }
        clock.advance(5_000);
        state.epochDone(new JobReport.Epoch(1, state.progress.loss(), state.progress.accuracy(), 0.4, 0.8, 5.0,
                state.progress.samples()), 5.0);

        assertEquals(128, state.epochs.get(0).samples());
        ProgressLedger.Position written = state.progress.position(state.progress.firstUnfinished());
        assertEquals(4, written.resumeAt());
        assertEquals(0, written.samples(), "the next epoch has trained nothing yet");
        assertEquals(0, ProgressLedger.resumed(written).samples());
        assertEquals(clock.getAsLong(), state.epochStartedMillis, "the next epoch's time starts now");
        assertEquals(5.0, state.trainSeconds);
    }
}
