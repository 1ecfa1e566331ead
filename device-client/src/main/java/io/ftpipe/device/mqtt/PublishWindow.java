package io.ftpipe.device.mqtt;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission control for publishes. Paho v5 adopts the server's Receive Maximum (HiveMQ CE: 10) as
 * a hard cap and throws 32202 instead of queueing, so QoS 1/2 publishes take a permit here first
 * and give it back when the broker acknowledges them.
 *
 * <p>Paho counts a QoS 0 message against the same cap while its sender thread writes it, so one
 * slot is kept free for QoS 0 (heartbeats must not fail while activations fill the window).
 *
 * <p>Every connection is a new epoch. With clean start, Paho forgets in-flight messages when the
 * connection drops and stops its callback thread before failing their tokens, so those permits
 * may never come back one by one: the count restarts at zero with the next connection (as Paho's
 * own count does), and permits of an older epoch release nothing.
 */
final class PublishWindow {

    /** One admitted publish; {@link #release()} is idempotent. */
    final class Permit {
        private final long epoch;
        private final boolean counted;
        private final boolean waited;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(long epoch, boolean counted, boolean waited) {
            this.epoch = epoch;
            this.counted = counted;
            this.waited = waited;
        }

        /** Whether acquiring it had to block. */
        boolean waited() {
            return waited;
        }

        void release() {
            if (counted && released.compareAndSet(false, true)) {
                returnSlot(epoch);
            }
        }
    }

    private long epoch;
    private boolean connected;
    private boolean closed;
    private int limit;
    private int inFlight;

    /** The current connection epoch, to pair a later {@link #open} with the connection it belongs to. */
    synchronized long epoch() {
        return epoch;
    }

    /**
     * Admits publishes of the connection that began in {@code expectedEpoch}, unless that
     * connection has been lost since.
     */
    synchronized void open(long expectedEpoch, int serverReceiveMaximum) {
        if (closed || expectedEpoch != epoch) {
            return;
        }
        connected = true;
        limit = serverReceiveMaximum > 1 ? serverReceiveMaximum - 1 : 1;
        inFlight = 0;
        notifyAll();
    }

    /** The connection is gone: hold publishes back and forget what was in flight. */
    synchronized void lost() {
        epoch++;
        connected = false;
        inFlight = 0;
        notifyAll();
    }

    /** Waits until publishes are admitted, or the deadline (a {@link System#nanoTime()} value) passes. */
    synchronized void awaitOpen(long deadlineNanos) throws InterruptedException {
        long remaining;
        while (!connected && !closed && (remaining = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    /** Fails every waiting and future acquire. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Blocks until the transport is connected and, for QoS 1/2, a slot is free.
     *
     * @throws TransportException when {@code deadlineNanos} (a {@link System#nanoTime()} value)
     *                            passes first, or the window is closed
     */
    synchronized Permit acquire(int qos, long deadlineNanos) throws InterruptedException {
        boolean waited = false;
        while (true) {
            if (closed) {
                throw new TransportException("transport is closed");
            }
            if (connected && (qos == 0 || inFlight < limit)) {
                if (qos > 0) {
                    inFlight++;
                }
                return new Permit(epoch, qos > 0, waited);
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new TransportException(connected
                        ? "publish window full: " + inFlight + " QoS 1/2 messages unacknowledged by the broker"
                        : "not connected to the broker");
            }
            waited = true;
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    private synchronized void returnSlot(long permitEpoch) {
        if (permitEpoch == epoch && inFlight > 0) {
            inFlight--;
            notifyAll();
        }
    }
}
