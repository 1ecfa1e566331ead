package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailedDeviceTest {
    /** Failed in a term that began at 1000, found at 5000. */
    private final FailedDevice failed = new FailedDevice(1_000, 5_000);

    private static DeviceRegistry.Device device(long joined, long seen, Heartbeat.Activity activity) {
        Heartbeat h = new Heartbeat("d", 0, activity, 0, 0, Heartbeat.StageTime.NONE, Heartbeat.StageCounts.NONE,
                Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE);
        return new DeviceRegistry.Device("d", null, true, joined, seen, h);
    }

    @Test
    void aDeviceThatSaidHelloAfterItsTermBeganRestarted() {
        assertTrue(failed.cameBack(device(3_000, 3_100, Heartbeat.Activity.IDLE), "j"));
    }

    @Test
    void aResumedDeviceIsBackOnceItIsHeardWithoutTheJobsStage() {
        var stillOnItsOldStage = new Heartbeat.Activity("training", "j", 1, 1);
        assertFalse(failed.cameBack(device(0, 6_000, stillOnItsOldStage), "j"), "still runs its old stage");
        assertFalse(failed.cameBack(device(0, 4_000, Heartbeat.Activity.IDLE), "j"), "not heard since the failure");
        assertTrue(failed.cameBack(device(0, 6_000, Heartbeat.Activity.IDLE), "j"), "heard since, idle");
        assertTrue(failed.cameBack(device(0, 6_000, new Heartbeat.Activity("training", "other", 3, 0)), "j"),
                "heard since, on another job's stage");
    }
}
