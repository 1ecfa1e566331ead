package io.ftpipe.device.stage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ftpipe.protocol.Schedules;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void oneFOneBAdmitsAForwardPerStageDownstreamAndOverlapOnePerBoundaryMore() {
        Schedule pipeDream = new Schedule(Schedules.ONE_F_ONE_B, 0, 3, 1);
        Schedule overlap = new Schedule(Schedules.ONE_F_ONE_B_OVERLAP, 0, 3, 1);
        assertTrue(pipeDream.admitsForward(2));
        assertFalse(pipeDream.admitsForward(3));
        assertTrue(overlap.admitsForward(4));
        assertFalse(overlap.admitsForward(5));
        assertTrue(overlap.stashesWeights());
        assertTrue(overlap.stepsAfter(1));
    }

    @Test
    void gpipeAdmitsAStepsMicroBatchesAndStepsAfterTheLast() {
        Schedule gpipe = new Schedule(Schedules.GPIPE, 1, 3, 4);
        assertTrue(gpipe.admitsForward(3));
        assertFalse(gpipe.admitsForward(4));
        assertFalse(gpipe.stepsAfter(3));
        assertTrue(gpipe.stepsAfter(4));
        assertFalse(gpipe.stashesWeights());
    }

    @Test
    void anUnknownScheduleIsNamedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Schedule("pipedream", 0, 2, 1));
        assertTrue(e.getMessage().contains("1f1b, 1f1b-overlap, gpipe"), e.getMessage());
    }
}
