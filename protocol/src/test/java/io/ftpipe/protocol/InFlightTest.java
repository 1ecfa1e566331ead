package io.ftpipe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InFlightTest {

    @Test
    void pipeDreamHoldsOnePerStageDownstream() {
        assertEquals("[4, 3, 2, 1]", Arrays.toString(limits(false)));
    }

    @Test
    void overlappingAddsOnePerBoundaryDownstream() {
        assertEquals("[7, 5, 3, 1]", Arrays.toString(limits(true)));
        assertEquals(1, InFlight.oneFOneB(0, 1, true), "a single stage runs each backward right after its forward");
    }

    @Test
    void eachScheduleHasItsLimit() {
        assertEquals(3, InFlight.limit(Schedules.ONE_F_ONE_B, 0, 3, 4));
        assertEquals(5, InFlight.limit(Schedules.ONE_F_ONE_B_OVERLAP, 0, 3, 4));
        assertEquals(4, InFlight.limit(Schedules.GPIPE, 0, 3, 4), "GPipe: a step's micro-batches");
    }

    @Test
    void aStageOutsideThePipelineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> InFlight.oneFOneB(3, 3, false));
        assertThrows(IllegalArgumentException.class, () -> InFlight.oneFOneB(-1, 3, true));
    }

    private static int[] limits(boolean overlap) {
        int[] limits = new int[4];
        for (int s = 0; s < 4; s++) {
            limits[s] = InFlight.oneFOneB(s, 4, overlap);
        }
        return limits;
    }
}
