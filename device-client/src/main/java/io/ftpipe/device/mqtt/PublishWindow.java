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
 * <p>The unacknowledged bytes are capped too ({@link #MAX_BYTES_IN_FLIGHT}; a larger message goes
 * alone). Paho writes publishes in the order they were made, so a heartbeat waits behind whatever
 * is queued: on a slow link a window of large activations is seconds of it, and the central node took the
 * device for dead. The cap bounds that wait by what the link sends in a moment, and is still far
 * above what any link needs in flight to stay busy.
 *
 * <p>Every connection is a new epoch. With clean start, Paho forgets in-flight messages when the
 * connection drops and stops its callback thread before failing their tokens, so those permits
 * may never come back one by one: the count restarts at zero with the next connection (as Paho's
 * own count does), and permits of an older epoch release nothing.
 */
final class PublishWindow {

    /** QoS 1/2 bytes a device may have sent and not had acknowledged (unless one message is more). */
    static final long MAX_BYTES_IN_FLIGHT = 1 << 20;

    /** One admitted publish; {@link #release()} is idempotent. */
    final class Permit {
        private final long epoch;
        private final boolean counted;
        private final int bytes;
        private final boolean waited;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(long epoch, boolean counted, int bytes, boolean waited) {
            this.epoch = epoch;
            this.counted = counted;
            this.bytes = bytes;
            this.waited = waited;
        }

        /** Whether acquiring it had to block. */
        boolean waited() {
            return waited;
        }

        void release() {
            if (counted && released.compareAndSet(false, true)) {
                returnSlot(epoch, bytes);
            }
        }
    }

    private long epoch;
    private boolean connected;
    private boolean closed;
    private int limit;
    private int inFlight;
    private long bytesInFlight;

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
        bytesInFlight = 0;
        notifyAll();
    }

    /** The connection is gone: hold publishes back and forget what was in flight. */
    synchronized void lost() {
        epoch++;
        connected = false;
        inFlight = 0;
        bytesInFlight = 0;
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
     * Blocks until the transport is connected and, for QoS 1/2, a slot is free and the message's
     * {@code bytes} fit the byte cap (or nothing is in flight).
     *
     * @throws TransportException when {@code deadlineNanos} (a {@link System#nanoTime()} value)
     *                            passes first, or the window is closed
     */
    synchronized Permit acquire(int qos, int bytes, long deadlineNanos) throws InterruptedException {
        boolean waited = false;
        while (true) {
            if (closed) {
                throw new TransportException("transport is closed");
            }
            if (connected && (qos == 0 || admits(bytes))) {
                if (qos > 0) {
                    inFlight++;
                    bytesInFlight += bytes;
                }
                return new Permit(epoch, qos > 0, bytes, waited);
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new TransportException(connected
                        ? "publish window full: " + inFlight + " QoS 1/2 messages (" + bytesInFlight
                        + " bytes) unacknowledged by the broker"
                        : "not connected to the broker");
            }
            waited = true;
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    private boolean admits(int bytes) {
        return inFlight < limit && (inFlight == 0 || bytesInFlight + bytes <= MAX_BYTES_IN_FLIGHT);
    }

    private synchronized void returnSlot(long permitEpoch, int bytes) {
        if (permitEpoch == epoch && inFlight > 0) {
            inFlight--;
            bytesInFlight -= bytes;
            notifyAll();
        }
    }
}
