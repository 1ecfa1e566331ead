package io.ftpipe.centralclient.mqtt;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Back-pressure under the broker's Receive Maximum. Paho v5 takes the value of the CONNACK as a
 * hard cap on unacknowledged QoS 1/2 publishes and throws (32202) instead of waiting, so a publish
 * takes a permit here first and gives it back when the broker acknowledges it. One slot stays free
 * for QoS 0, which Paho counts against the same cap while it writes the message.
 *
 * <p>Every connection is an epoch of its own: what was in flight when a connection dropped is
 * Paho's to resend (the session is persistent), and its permits release nothing in the next
 * connection, whose count starts at zero like Paho's.
 */
final class PublishPermits {

    /** One admitted publish; releasing it twice releases it once. */
    final class Permit {
        private final long epoch;
        private final boolean counted;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(long epoch, boolean counted) {
            this.epoch = epoch;
            this.counted = counted;
        }

        void release() {
            if (counted && released.compareAndSet(false, true)) {
                returned(epoch);
            }
        }
    }

    private long epoch;
    private boolean open;
    private boolean closed;
    private int limit;
    private int inFlight;
    private long waits;

    /** A connection is up, and the broker said how many unacknowledged publishes it takes. */
    synchronized void open(int serverReceiveMaximum) {
        if (closed) {
            return;
        }
        epoch++;
        open = true;
        limit = Math.max(1, serverReceiveMaximum - 1);
        inFlight = 0;
        notifyAll();
    }

    /** The connection is gone: publishes wait for the next one. */
    synchronized void lost() {
        epoch++;
        open = false;
        inFlight = 0;
        notifyAll();
    }

    /** Fails every waiting and later acquire. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Waits until connected and, for QoS 1/2, a slot is free.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @throws TimeoutException      when the deadline passes first
     * @throws IllegalStateException when closed
     */
    synchronized Permit acquire(int qos, long deadlineNanos) throws InterruptedException, TimeoutException {
        boolean waited = false;
        while (true) {
            if (closed) {
                throw new IllegalStateException("the central node's MQTT connection is closed");
            }
            if (open && (qos == 0 || inFlight < limit)) {
                if (qos > 0) {
                    inFlight++;
                }
                if (waited) {
                    waits++;
                }
                return new Permit(epoch, qos > 0);
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new TimeoutException(open ? inFlight + " QoS 1 publishes unacknowledged by the broker (its "
                        + "Receive Maximum)" : "not connected to the broker");
            }
            waited = true;
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    /** Publishes that had to wait for a slot or a connection. */
    synchronized long waits() {
        return waits;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private synchronized void returned(long permitEpoch) {
        if (permitEpoch == epoch && inFlight > 0) {
            inFlight--;
            notifyAll();
        }
    }
}
