package io.ftpipe.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BoundaryClockTest {
    private static final long MS = 1_000_000;

    @Test
    void aRoundTripIsSendToArrivalLessWhatTheNextStagesHeld() {
        BoundaryClock sender = new BoundaryClock();
        BoundaryClock receiver = new BoundaryClock();
        // The clocks of two devices need not agree: only differences on each are used.
        sender.forwardSent(7, 1_000 * MS, 1_600);
        receiver.forwardArrived(7, 50_040 * MS);
        double held = receiver.held(7, 50_160 * MS);
        assertEquals(120, held, 1e-9);
        sender.backwardArrived(7, 1_200 * MS, held, 1_600);
        assertEquals(80, sender.roundTripMillis(), 1e-9);
        assertEquals(3_200, sender.bytes());
    }

    @Test
    void whatCannotBeTimedIsLeftOut() {
        BoundaryClock clock = new BoundaryClock();
        assertTrue(Double.isNaN(clock.held(3, 10 * MS)), "a forward that never arrived here");
        clock.backwardArrived(3, 10 * MS, 1, 100);
        clock.forwardSent(4, 0, 100);
        clock.backwardArrived(4, 10 * MS, Double.NaN, 100);
        assertEquals(0, clock.bytes(), "no forward sent, or no held time (an older peer)");
        clock.forwardSent(5, 0, 100);
        clock.restart();
        clock.backwardArrived(5, 10 * MS, 1, 100);
        assertEquals(0, clock.bytes(), "a new stage forgets what the old one sent");
        assertEquals(0, clock.roundTripMillis());
    }
}
