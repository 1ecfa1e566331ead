package io.ftpipe.cli.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TimelineTest {

    /** 10 micro-batches/s for 10 s, then 2/s for 10 s, then 10/s again from 20 s. */
    private static Timeline slowPatch() {
        Timeline t = new Timeline(32);
        long done = 0;
        for (int s = 0; s <= 30; s++) {
            t.add(s, done);
            done += s >= 10 && s < 20 ? 2 : 10;
        }
        return t;
    }

    @Test
    void steadyThroughputCountsFromTheGivenMoment() {
        Timeline t = slowPatch();
        assertEquals(320, t.samplesPerSecond(20), 1e-9);
        assertEquals(32 * (100 + 20 + 100) / 30.0, t.samplesPerSecond(0), 1e-9);
        assertTrue(Double.isNaN(t.samplesPerSecond(31)), "no interval after the last point");
    }

    @Test
    void windowsFollowTheRate() {
        var w = slowPatch().windowed(4);
        assertEquals(320, w.stream().filter(p -> p[0] == 8).findFirst().orElseThrow()[1], 1e-9);
        assertEquals(64, w.stream().filter(p -> p[0] == 18).findFirst().orElseThrow()[1], 1e-9);
    }

    @Test
    void recoveryIsTimedFromTheEventToTheFirstWholeWindowNearTheTarget() {
        Timeline t = slowPatch();
        // The first 4 s window entirely after 10 s at >= 90 % of 64 samples/s ends at 14 s.
        assertEquals(4, t.secondsToReach(10, 64, 4), 1e-9);
        // Back to 320 samples/s: the first window of [20, 24] ends at 24.
        assertEquals(14, t.secondsToReach(10, 320, 4), 1e-9);
        assertTrue(Double.isNaN(t.secondsToReach(10, 1000, 4)));
    }

    @Test
    void scenariosAreThePapersSettings() {
        assertEquals(10, HeteroScenario.named("h10").slowdowns().get(3) / HeteroScenario.named("h10").fastest());
        assertTrue(HeteroScenario.named("drift").drifts());
        assertThrows(IllegalArgumentException.class, () -> HeteroScenario.named("h11"));
    }

    @Test
    void aPauseRunsFromTheLastProgressBeforeAChangeToTheFirstAfterIt() {
        Timeline t = new Timeline(1);
        t.add(1, 10);
        t.add(2, 20);
        t.add(3, 20);
        t.add(7, 20);
        t.add(8, 25);
        t.add(9, 30);
        assertEquals(java.util.List.of(6.0), t.pausesAround(java.util.List.of(5.0)), "stalled at 2 s, on at 8 s");
        assertEquals(java.util.List.of(1.0), t.pausesAround(java.util.List.of(8.5)));
        assertTrue(Double.isNaN(t.pausesAround(java.util.List.of(9.5)).get(0)), "nothing after the change");
    }
}
