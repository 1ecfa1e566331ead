package io.ftpipe.device.mqtt;

import io.ftpipe.protocol.Topics;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Arrived messages in the order their handlers run: arrival order, except that a gradient coming
 * back (a stage's {@code backward}) goes ahead of the forwards and labels queued before it, never
 * ahead of anything else. A stage runs a handler's compute before it reads the next message, so
 * a backward queued behind forwards waited for all of them: when a new layout filled, each stage
 * on the way back ran every forward that had arrived before the first gradient, and the first
 * micro-batch took several times its compute to finish. Data messages may come in any order
 * (a stage keeps them by micro-batch); commands keep their place, so what a stage has done when a
 * command reaches it is unchanged. Not thread-safe: the dispatcher holds its lock.
 */
final class InboundQueue {
    /** One message as it came off the connection, at {@link System#nanoTime()} {@code arrivedNanos}. */
    record Arrival(String topic, byte[] payload, long arrivedNanos) {
    }

    private final ArrayDeque<Arrival> queue = new ArrayDeque<>();

    void add(Arrival a) {
        queue.addLast(a);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The next message to handle, taken off the queue; null when it is empty. */
    Arrival next() {
        Iterator<Arrival> it = queue.iterator();
        while (it.hasNext()) {
            Arrival a = it.next();
            String kind = stageKind(a.topic());
            if (Topics.BACKWARD.equals(kind)) {
                it.remove();
                return a;
            }
            if (!Topics.FORWARD.equals(kind) && !Topics.LABELS.equals(kind)) {
                break;
            }
        }
        return queue.pollFirst();
    }

    /** The kind of a stage's message (its topic's last level), or null for any other topic. */
    private static String stageKind(String topic) {
        return topic.startsWith(Topics.JOBS) && topic.contains("/stages/") ? Topics.leaf(topic) : null;
    }
}
