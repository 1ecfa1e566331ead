package io.ftpipe.device;

import io.ftpipe.device.stage.ComputeClock.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StageClockTest {

    @Test
    void aSlowerDeviceWaitsOutTheDifferenceAndReportsOnlyWhatItMeasured() {
        StageClock clock = new StageClock(1, true);
        clock.computed(Step.FORWARD, 32, 2_000_000, 2_000_000);
        assertEquals(2, clock.computeTotalMillis(), 1e-9);
        clock.setSlowdown(3);
        long before = System.nanoTime();
        clock.computed(Step.FORWARD, 32, 2_000_000, 2_000_000);
        assertTrue(System.nanoTime() - before >= 4_000_000, "waited out twice the step");
        assertEquals(8, clock.computeTotalMillis(), 1e-9);
    }

    @Test
    void timeLostToOtherProcessesIsNotMultiplied() {
        StageClock clock = new StageClock(3, true);
        clock.computed(Step.BACKWARD, 32, 9_000_000, 9_000_000);
        clock.computed(Step.BACKWARD, 32, 2_000_000, 2_000_000);
        assertEquals(9 + 6, clock.computeTotalMillis(), 1e-9);
        // The same step, slowed by a neighbour: still 3 times the machine's own 2 ms.
        clock.computed(Step.BACKWARD, 32, 5_000_000, 5_000_000);
        assertEquals(15 + 6, clock.computeTotalMillis(), 1e-9);
        // Slower than the emulated device: nothing to wait out.
        clock.computed(Step.BACKWARD, 32, 7_000_000, 7_000_000);
        assertEquals(21 + 7, clock.computeTotalMillis(), 1e-9);
        // Another step, or a smaller micro-batch, has a speed of its own.
        clock.computed(Step.BACKWARD, 16, 1_000_000, 1_000_000);
        clock.computed(Step.BACKWARD, 16, 5_000_000, 5_000_000);
        assertEquals(28 + 1 + 15, clock.computeTotalMillis(), 1e-9);
    }

    @Test
    void eachStepsFirstRunIsOnnxRuntimesWarmUpAndNeitherPaddedNorASpeed() {
        StageClock clock = new StageClock(10, true);
        clock.computed(Step.FORWARD, 32, 20_000_000, 20_000_000);
        assertEquals(20, clock.computeTotalMillis(), 1e-9, "not waited out to 200 ms");
        clock.computed(Step.FORWARD, 32, 2_000_000, 2_000_000);
        assertEquals(20 + 20, clock.computeTotalMillis(), 1e-9, "10 times the 2 ms run, not the warm-up");
        clock.restart(false);
        clock.computed(Step.FORWARD, 32, 20_000_000, 20_000_000);
        assertEquals(20, clock.computeTotalMillis(), 1e-9, "new sessions warm up again");
    }

    @Test
    void ownTimeIsTheComputingThreadsCpuTimeWhenItRunsTheSessionsAlone() {
        StageClock cpu = new StageClock(4, true);
        StageClock wall = new StageClock(4, false);
        for (StageClock clock : List.of(cpu, wall)) {
            // 2 ms of work that took 5 ms: the other 3 went to a neighbour.
            clock.warmedUp(Step.FORWARD, 32, 5_000_000, 2_000_000);
            clock.computed(Step.FORWARD, 32, 6_000_000, 2_500_000);
        }
        assertEquals(8, cpu.computeTotalMillis(), 1e-9, "4 times the 2 ms of work");
        assertEquals(20, wall.computeTotalMillis(), 1e-9, "4 times the 5 ms it took");
        // A JVM that cannot tell CPU time reports 0: wall time it is.
        StageClock blind = new StageClock(4, true);
        blind.warmedUp(Step.FORWARD, 32, 5_000_000, 0);
        blind.computed(Step.FORWARD, 32, 6_000_000, 0);
        assertEquals(20, blind.computeTotalMillis(), 1e-9);
    }

    @Test
    void warmUpRunsGiveTheSpeedAndAreNotTrainingTime() {
        StageClock clock = new StageClock(4, true);
        clock.warmedUp(Step.FORWARD, 32, 30_000_000, 30_000_000);
        clock.warmedUp(Step.FORWARD, 32, 2_000_000, 2_000_000);
        clock.warmedUp(Step.FORWARD, 32, 3_000_000, 3_000_000);
        assertEquals(0, clock.computeTotalMillis());
        // A cold run, as a stage that waits for a slower neighbour has: 4 times the warm 2 ms.
        clock.computed(Step.FORWARD, 32, 5_000_000, 5_000_000);
        assertEquals(8, clock.computeTotalMillis(), 1e-9);
    }

    @Test
    void theSameSessionsKeepTheirSpeedsAndNewOnesForgetThem() {
        StageClock clock = new StageClock(4, true);
        clock.warmedUp(Step.BACKWARD, 32, 2_000_000, 2_000_000);
        clock.restart(true);
        clock.computed(Step.BACKWARD, 32, 3_000_000, 3_000_000);
        assertEquals(8, clock.computeTotalMillis(), 1e-9, "still 4 times the 2 ms of the same sessions");
        clock.restart(false);
        clock.computed(Step.BACKWARD, 32, 3_000_000, 3_000_000);
        assertEquals(3, clock.computeTotalMillis(), 1e-9, "new sessions: a first run again");
    }

    @Test
    void aSlowdownBelowOneOrNotFiniteIsRefused() {
        StageClock clock = new StageClock(2, true);
        for (double bad : new double[]{0.5, 0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> clock.setSlowdown(bad), "slowdown " + bad);
        }
    }

    @Test
    void aNewStageStartsTheTotalsAgain() {
        StageClock clock = new StageClock(1, true);
        clock.computed(Step.OPTIMIZER, 0, 1_000_000, 1_000_000);
        clock.sent(3_000_000, 1000);
        assertEquals(1000, clock.sentBytes());
        clock.restart(true);
        assertEquals(0, clock.computeTotalMillis());
        assertEquals(0, clock.sentBytes());
        assertEquals(0, clock.sendTotalMillis());
    }

    @Test
    void underAQuotaAStepCountsAsItsCpuTimeOverTheQuota() {
        double[] cores = {0.25};
        StageClock clock = new StageClock(1, true, () -> cores[0], () -> 0);
        // 2 ms of CPU that ran at the full core's speed (quota unspent): busy, it costs 8 ms.
        clock.computed(Step.FORWARD, 32, 2_000_000, 2_000_000);
        assertEquals(8, clock.computeTotalMillis(), 1e-9);
        // Throttled beyond that: the wall time stands.
        clock.computed(Step.FORWARD, 32, 11_000_000, 2_000_000);
        assertEquals(8 + 11, clock.computeTotalMillis(), 1e-9);
        cores[0] = 4; // a quota of a core or more is no limit to one thread
        clock.computed(Step.FORWARD, 32, 2_000_000, 2_000_000);
        assertEquals(8 + 11 + 2, clock.computeTotalMillis(), 1e-9);
        StageClock wall = new StageClock(1, false, () -> 0.25, () -> 0); // several threads: no one thread's CPU time
        wall.computed(Step.FORWARD, 32, 2_000_000, 2_000_000);
        assertEquals(2, wall.computeTotalMillis(), 1e-9);
    }

    @Test
    void underAQuotaTheStageCostsAtLeastTheProcesssCpuOverTheQuota() {
        long[] process = {1_000_000_000};
        StageClock clock = new StageClock(1, true, () -> 0.1, () -> process[0]);
        clock.computed(Step.FORWARD, 32, 20_000_000, 1_000_000); // 1 ms of compute: 20 ms under the quota
        process[0] += 5_000_000; // ... and 4 ms more of the process's CPU: decoding, sending, GC
        assertEquals(50, clock.computeTotalMillis(), 1e-9);
        clock.restart(true);
        assertEquals(0, clock.computeTotalMillis(), 1e-9, "a new stage counts from its start");
        StageClock free = new StageClock(1, true, () -> Double.POSITIVE_INFINITY, () -> process[0]);
        free.computed(Step.FORWARD, 32, 2_000_000, 1_000_000);
        process[0] += 9_000_000;
        assertEquals(2, free.computeTotalMillis(), 1e-9, "without a quota: the steps' own time");
    }
}
