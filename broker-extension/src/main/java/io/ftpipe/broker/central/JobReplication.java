package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the devices replicated during one job, from the running counts in their heartbeats (which
 * start at 0 when a device process starts): each device's counts when the job first and last heard
 * from it. Not thread-safe.
 */
final class JobReplication {

    /** A device's replication counts: bytes of replicas sent, and milliseconds spent replicating. */
    record Counts(long bytes, double millis) {
        static final Counts ZERO = new Counts(0, 0);

        static Counts of(Message.Heartbeat h) {
            return new Counts(h.replication().bytes(), h.replication().millis());
        }

        Counts plus(Counts o) {
            return new Counts(bytes + o.bytes, millis + o.millis);
        }

        Counts minus(Counts o) {
            return new Counts(bytes - o.bytes, millis - o.millis);
        }
    }

    private record Span(Counts first, Counts last) {
    }

    private final Map<String, Span> devices = new HashMap<>();

    /**
     * Goes on from a checkpoint's {@link #firsts()}: the devices' counts kept running while the
     * central node was down, so what they replicated meanwhile is counted at their next heartbeat.
     */
    void resumeFrom(Map<String, Counts> firsts) {
        firsts.forEach((d, c) -> devices.put(d, new Span(c, c)));
    }

    void heartbeat(Message.Heartbeat h) {
        Counts now = Counts.of(h);
        devices.merge(h.device(), new Span(now, now), (old, fresh) -> new Span(old.first(), now));
    }

    /** Each device's counts when the job first heard from it (for the checkpoint). */
    Map<String, Counts> firsts() {
        Map<String, Counts> m = new TreeMap<>();
        devices.forEach((d, s) -> m.put(d, s.first()));
        return m;
    }

    /** Replicated during the job so far, summed over the devices. */
    Counts total() {
        return devices.values().stream().map(s -> s.last().minus(s.first())).reduce(Counts.ZERO, Counts::plus);
    }
}
