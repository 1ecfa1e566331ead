package io.ftpipe.device.mqtt;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class PublishWindowTest {
    private static final int RECEIVE_MAXIMUM = 10;
    private static final int HALF = (int) (PublishWindow.MAX_BYTES_IN_FLIGHT / 2);

    private static PublishWindow open() {
        PublishWindow w = new PublishWindow();
        w.open(w.epoch(), RECEIVE_MAXIMUM);
        return w;
    }

    private static long soon() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    }

    @Test
    void unacknowledgedBytesAreCappedSoAHeartbeatIsNotQueuedBehindThemAll() throws Exception {
        PublishWindow w = open();
        PublishWindow.Permit first = w.acquire(1, HALF, soon());
        w.acquire(1, HALF, soon());
        assertThrows(TransportException.class, () -> w.acquire(1, 1, soon()), "the cap is reached");
        PublishWindow.Permit heartbeat = w.acquire(0, 200, soon());
        assertFalse(heartbeat.waited(), "QoS 0 is never held back by the cap");
        first.release();
        first.release();
        assertFalse(w.acquire(1, HALF, soon()).waited(), "an acknowledgement frees its bytes, once");
        assertThrows(TransportException.class, () -> w.acquire(1, 1, soon()));
    }

    @Test
    void aMessageLargerThanTheCapGoesAlone() throws Exception {
        PublishWindow w = open();
        PublishWindow.Permit big = w.acquire(1, 3 * HALF, soon());
        assertThrows(TransportException.class, () -> w.acquire(1, 1, soon()));
        big.release();
        assertFalse(w.acquire(1, 3 * HALF, soon()).waited());
    }

    @Test
    void aNewConnectionStartsWithNothingInFlight() throws Exception {
        PublishWindow w = open();
        PublishWindow.Permit old = w.acquire(1, 2 * HALF, soon());
        w.lost();
        w.open(w.epoch(), RECEIVE_MAXIMUM);
        PublishWindow.Permit fresh = w.acquire(1, 2 * HALF, soon());
        old.release();
        assertThrows(TransportException.class, () -> w.acquire(1, 1, soon()),
                "a permit of the old connection frees nothing of the new one's");
        fresh.release();
        assertFalse(w.acquire(1, 1, soon()).waited());
    }

    @Test
    void theSlotCountStillHolds() throws Exception {
        PublishWindow w = open();
        for (int i = 0; i < RECEIVE_MAXIMUM - 1; i++) {
            w.acquire(1, 1, soon());
        }
        assertThrows(TransportException.class, () -> w.acquire(1, 1, soon()), "one slot kept for QoS 0");
        w.acquire(0, 1, soon());
    }
}
