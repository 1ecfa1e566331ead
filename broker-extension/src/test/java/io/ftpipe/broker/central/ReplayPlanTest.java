package io.ftpipe.broker.central;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplayPlanTest {

    @Test
    void unitsBehindAreReplayedFromTheOldestAndUnitsAheadSkipWhatTheyHold() {
        // Unit 0 survived at the first unfinished micro-batch, unit 1 came from a replica at 60,
        // unit 2 (after the failed stage) already applied two micro-batches that are fed again.
        ReplayPlan p = ReplayPlan.of(Map.of(0, 100L, 1, 60L, 2, 102L), 100, true);

        assertEquals(60, p.start());
        assertEquals(100, p.resumeAt());
        assertEquals(40, p.caughtUp());
        assertEquals(Map.of(0, 100L, 1, 60L, 2, 102L), p.versions());
        assertEquals(0, p.iterationsLost());
        assertEquals(0, p.updatesAppliedTwice());
    }

    @Test
    void withoutReplayTheUnitsBehindLoseTheirUpdatesAndNoneIsAppliedTwice() {
        ReplayPlan p = ReplayPlan.of(Map.of(0, 100L, 1, 60L, 2, 102L), 100, false);

        assertEquals(100, p.start());
        assertEquals(0, p.caughtUp());
        assertEquals(Map.of(0, 100L, 1, 100L, 2, 102L), p.versions());
        assertEquals(40, p.iterationsLost());
        assertEquals(0, p.updatesAppliedTwice());
    }

    @Test
    void everyUnitAtTheResumePointReplaysNothing() {
        ReplayPlan p = ReplayPlan.of(Map.of(0, 7L, 1, 7L), 7, true);

        assertEquals(7, p.start());
        assertEquals(0, p.caughtUp());
        assertEquals(0, p.iterationsLost());
    }

    @Test
    void aNegativeVersionIsRefusedNamingTheUnit() {
        var e = assertThrows(IllegalArgumentException.class, () -> ReplayPlan.of(Map.of(3, -1L), 0, true));
        assertEquals("unit 3 has version -1, below 0", e.getMessage());
    }
}
