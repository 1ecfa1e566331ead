package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CapacityTrackerTest {
    private final CapacityTracker tracker = new CapacityTracker();

    /**
     * A heartbeat of device d in term 1 with these totals; {@code tripMillis} and {@code tripBytes}
     * are its outgoing boundary's timed round trips.
     */
    private static Message.Heartbeat beat(String d, long forwards, long finished, double computeMillis,
                                          double tripMillis, long tripBytes) {
        return new Heartbeat(d, 0, new Heartbeat.Activity("training", "j", 1, 0), 0, 0,
                new Heartbeat.StageTime(computeMillis, 0, 0), new Heartbeat.StageCounts(forwards, finished, 0),
                Heartbeat.Replication.NONE, new Heartbeat.Boundary(tripMillis, tripBytes));
    }

    @Test
    void slowdownIsComputePerMicroBatchOverTheReferenceAndTheFirstIntervalIsWarmUp() {
        tracker.heartbeat(beat("d", 3, 1, 5000, 0, 0), 10, "next"); // warm-up: only marks
        assertTrue(tracker.slowdown("d").isEmpty());
        // 8 forwards and 8 backwards later, 8 micro-batches took 320 ms: 40 ms each, 4x the reference.
        tracker.heartbeat(beat("d", 11, 9, 5320, 10, 1000), 10, "next");
        assertEquals(4, tracker.slowdown("d").getAsDouble(), 1e-9);
        assertEquals(100, tracker.bytesPerMilli("d").getAsDouble(), 1e-9);
        assertEquals(1, tracker.samples("d"));
    }

    @Test
    void theLinkRateComesFromTimedRoundTripsNotFromTimeSpentSending() {
        tracker.heartbeat(new Heartbeat("d", 0, new Heartbeat.Activity("training", "j", 1, 0), 0, 0,
                Heartbeat.StageTime.NONE, new Heartbeat.StageCounts(1, 1, 0), Heartbeat.Replication.NONE,
                Heartbeat.Boundary.NONE), 10, null);
        // 5 MB handed to the client in 5 ms, but no round trip timed (a last stage): no link rate.
        tracker.heartbeat(new Heartbeat("d", 0, new Heartbeat.Activity("training", "j", 1, 0), 0, 0,
                new Heartbeat.StageTime(80, 5, 0), new Heartbeat.StageCounts(9, 9, 5_000_000),
                Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE), 10, null);
        assertTrue(tracker.bytesPerMilli("d").isEmpty());
    }

    @Test
    void forwardsNotYetFinishedCountAsHalfAMicroBatch() {
        tracker.heartbeat(beat("d", 1, 1, 0, 0, 0), 10, "next");
        // Pipeline filling: 6 forwards but only 4 backwards finished: 5 micro-batches' worth.
        tracker.heartbeat(beat("d", 7, 5, 100, 0, 0), 10, "next");
        assertEquals(2, tracker.slowdown("d").getAsDouble(), 1e-9);
    }

    @Test
    void smoothsAndWaitsForEnoughMicroBatches() {
        tracker.heartbeat(beat("d", 1, 1, 0, 0, 0), 10, "next");
        tracker.heartbeat(beat("d", 5, 5, 40, 0, 0), 10, "next"); // 1x
        tracker.heartbeat(beat("d", 6, 6, 140, 0, 0), 10, "next"); // one micro-batch: too few, kept for the next
        assertEquals(1, tracker.slowdown("d").getAsDouble(), 1e-9);
        tracker.heartbeat(beat("d", 9, 9, 440, 0, 0), 10, "next"); // 4 micro-batches in 400 ms: 10x
        assertEquals(1 + CapacityTracker.SMOOTHING * 9, tracker.slowdown("d").getAsDouble(), 1e-9);
    }

    @Test
    void aNewTermStartsMeasuringAfresh() {
        tracker.heartbeat(beat("d", 1, 1, 0, 0, 0), 10, "next");
        tracker.heartbeat(beat("d", 5, 5, 40, 0, 0), 10, "next");
        tracker.forgetSamples();
        assertEquals(0, tracker.samples("d"));
        var term2 = new Heartbeat("d", 0, new Heartbeat.Activity("training", "j", 2, 1), 0, 0,
                new Heartbeat.StageTime(10, 0, 0), new Heartbeat.StageCounts(1, 1, 0), Heartbeat.Replication.NONE,
                Heartbeat.Boundary.NONE);
        tracker.heartbeat(term2, 20, "next"); // totals restarted: a mark, not a negative interval
        assertEquals(1, tracker.slowdown("d").getAsDouble(), 1e-9, "the old estimate stands until measured");
        assertEquals(0, tracker.samples("d"));
        assertTrue(tracker.snapshot().containsKey("d"));
    }

    @Test
    void aRateBelongsToThePairThatMeasuredIt() {
        tracker.heartbeat(beat("a", 1, 1, 0, 0, 0), 10, "b");
        tracker.heartbeat(beat("a", 5, 5, 40, 10, 1000), 10, "b"); // a <-> b at 100 bytes/ms
        tracker.heartbeat(beat("b", 1, 1, 0, 0, 0), 10, "c");
        tracker.heartbeat(beat("b", 5, 5, 40, 100, 1000), 10, "c"); // b <-> c at 10 bytes/ms
        var links = tracker.links(1000);
        assertEquals(100, links.bytesPerMilli("b", "a"), 1e-9);
        assertEquals(10, links.bytesPerMilli("b", "c"), 1e-9);
        assertEquals(10, tracker.bytesPerMilli("b").getAsDouble(), 1e-9);
        // b's pair with a clears it: c, slow to reach, is what is slow.
        assertTrue(links.bytesPerMilli("a", "c") < 11);
        assertTrue(links.bytesPerMilli("b", "d") > 150);
    }

    @Test
    void anUnmeasuredDeviceHasNoEstimate() {
        assertTrue(tracker.slowdown("x").isEmpty());
        assertTrue(tracker.bytesPerMilli("x").isEmpty());
        assertTrue(tracker.snapshot().isEmpty());
    }
}
