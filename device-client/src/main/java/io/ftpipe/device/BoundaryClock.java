package io.ftpipe.device;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the links around a stage cost, measured end to end: the outgoing boundary's round trip
 * (a forward's send to its backward's arrival, less what the next stages held the micro-batch
 * for) and, for the incoming boundary, how long this stage and those after it hold each
 * micro-batch, which its backward tells the previous stage. Each side reads only its own clock, so
 * devices need no synchronised time.
 *
 * <p>Why not the time spent sending: a device hands a message to the MQTT client in a millisecond
 * or two, but the broker takes tens of milliseconds per megabyte to pass it on; costed by hand-over
 * time, a boundary that carries megabytes looked free to the planner.
 *
 * <p>Called on the delivery thread; the totals are read by the heartbeat's thread.
 */
final class BoundaryClock {
    private final Map<Long, Sent> sent = new ConcurrentHashMap<>();
    private final Map<Long, Long> arrived = new ConcurrentHashMap<>();
    private volatile double roundTripMillis;
    private volatile long bytes;

    private record Sent(long nanos, int bytes) {
    }

    /** This stage sent forward {@code iteration} ({@code bytes} on the wire) at {@code nanos}. */
    void forwardSent(long iteration, long nanos, int bytes) {
        sent.put(iteration, new Sent(nanos, bytes));
    }

    /** Forward {@code iteration} arrived here at {@code nanos}. */
    void forwardArrived(long iteration, long nanos) {
        arrived.put(iteration, nanos);
    }

    /** How long this stage and the ones after it held {@code iteration}, until {@code nanos}; NaN if unknown. */
    double held(long iteration, long nanos) {
        Long at = arrived.remove(iteration);
        return at == null ? Double.NaN : (nanos - at) / 1e6;
    }

    /**
     * The backward of {@code iteration} ({@code bytes} on the wire) arrived at {@code nanos}, and
     * the next stages held it {@code heldMillis}: one round trip of the outgoing boundary.
     */
    void backwardArrived(long iteration, long nanos, double heldMillis, int bytes) {
        Sent s = sent.remove(iteration);
        if (s == null || !(heldMillis >= 0)) {
            return;
        }
        double trip = (nanos - s.nanos()) / 1e6 - heldMillis;
        if (trip > 0) {
            roundTripMillis += trip;
            this.bytes += s.bytes() + bytes;
        }
    }

    /** A new stage: nothing in flight is ours any more, and the totals start again. */
    void restart() {
        sent.clear();
        arrived.clear();
        roundTripMillis = 0;
        bytes = 0;
    }

    double roundTripMillis() {
        return roundTripMillis;
    }

    long bytes() {
        return bytes;
    }
}
