package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class FailedDevicesTest {
    private static final Heartbeat.Activity ON_THE_JOB = new Heartbeat.Activity("training", "j", 1, 1);

    /** A device that joined before the job, last heard at {@code seen}. */
    private static Optional<DeviceRegistry.Device> heard(long seen, Heartbeat.Activity activity) {
        Heartbeat h = new Heartbeat("d", 0, activity, 0, 0, Heartbeat.StageTime.NONE, Heartbeat.StageCounts.NONE,
                Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE);
        return Optional.of(new DeviceRegistry.Device("d", null, true, 0, seen, h));
    }

    @Test
    void aDeviceTakenBackIntoATermStaysUsableWhileItHoldsTheJobsStage() {
        FailedDevices failed = new FailedDevices();
        failed.failed("d", 1_000, 5_000);
        assertTrue(failed.usable("d", heard(6_000, Heartbeat.Activity.IDLE), "j"), "paused, resumed, stopped");
        assertFalse(failed.usable("d", heard(6_000, ON_THE_JOB), "j"), "still on its old stage");
        // A re-plan takes it in: its stage is now the job's current one. Before, it was unusable from
        // then on, and a later recovery left it out without a word (found by bench chaos).
        failed.takenIn(List.of("d"));
        assertTrue(failed.usable("d", heard(9_000, ON_THE_JOB), "j"));
    }

    @Test
    void aDeviceThatNeverFailedIsUsableAndAFailedOneUnseenIsNot() {
        FailedDevices failed = new FailedDevices();
        assertTrue(failed.usable("d", Optional.empty(), "j"));
        failed.failed("d", 1_000, 5_000);
        assertFalse(failed.usable("d", Optional.empty(), "j"));
    }
}
