package io.ftpipe.broker.metrics;

import io.ftpipe.protocol.Message;

import java.util.HashMap;
import java.util.Map;

/**
 * Bytes of replicas devices sent, from the running count in their heartbeats (which starts at 0
 * when the device process starts). Not thread-safe.
 */
final class ReplicatedBytes {
    private final Map<String, Long> last = new HashMap<>();

    /**
     * Bytes replicated since the device's previous heartbeat. The first heartbeat seen only sets
     * the mark: what came before (say, before the central node restarted) was counted then, or by
     * nobody. A smaller count than before means the device restarted, so all of it is new.
     */
    long since(Message.Heartbeat h) {
        Long before = last.put(h.device(), h.replication().bytes());
        if (before == null) {
            return 0;
        }
        return h.replication().bytes() >= before ? h.replication().bytes() - before : h.replication().bytes();
    }
}
