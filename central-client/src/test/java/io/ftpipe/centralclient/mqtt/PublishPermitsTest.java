package io.ftpipe.centralclient.mqtt;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishPermitsTest {
    private static long soon() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    }

    @Test
    void qos1PublishesWaitUnderTheReceiveMaximumKeepingASlotForQos0() throws Exception {
        PublishPermits permits = new PublishPermits();
        permits.open(3);
        PublishPermits.Permit a = permits.acquire(1, soon());
        permits.acquire(1, soon());
        assertThrows(TimeoutException.class, () -> permits.acquire(1, soon()), "3 - 1 slots for QoS 1");
        permits.acquire(0, soon());
        a.release();
        a.release();
        permits.acquire(1, soon());
        assertEquals(2, permits.inFlight(), "a permit released twice frees one slot");
        assertThrows(TimeoutException.class, () -> permits.acquire(1, soon()));
        assertTrue(permits.waits() == 0, "timed-out waits are no admitted waits");
    }

    @Test
    void publishesWaitForAConnectionAndOldPermitsReleaseNothingInTheNext() throws Exception {
        PublishPermits permits = new PublishPermits();
        assertThrows(TimeoutException.class, () -> permits.acquire(0, soon()), "not connected yet");
        permits.open(2);
        PublishPermits.Permit old = permits.acquire(1, soon());
        permits.lost();
        Thread opener = new Thread(() -> {
            sleep();
            permits.open(2);
        });
        opener.start();
        permits.acquire(1, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        opener.join();
        old.release();
        assertEquals(1, permits.inFlight(), "the old connection's permit is not this one's");
        assertEquals(1, permits.waits());
    }

    @Test
    void closingFailsWaitingPublishes() {
        PublishPermits permits = new PublishPermits();
        permits.close();
        assertThrows(IllegalStateException.class, () -> permits.acquire(1, soon()));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
