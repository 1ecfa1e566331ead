package io.ftpipe.broker.metrics;

import io.ftpipe.protocol.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a device's time goes per micro-batch — computing, sending, waiting — from the differences
 * between two of its heartbeats on the same stage. Waiting is the rest of the stage's time: for
 * inputs, for gradients, or for the schedule's limit on micro-batches in flight. A micro-batch is
 * counted as half a forward plus half a finished one, as the capacity tracker counts it: in any
 * interval a stage has run forwards that have not finished yet. Not thread-safe.
 */
final class StageTimes {

    /** Milliseconds per micro-batch in one interval between heartbeats. */
    record Interval(String job, int stage, double computeMillis, double sendMillis, double waitMillis) {
    }

    /** Where a device's totals stood at a heartbeat. */
    private record Mark(String job, long term, int stage, double compute, double send, double total, long forwards,
                        long finished) {
    }

    private final Map<String, Mark> marks = new HashMap<>();

    /**
     * The interval since the device's previous heartbeat, if both were on the same stage and it ran
     * micro-batches in between. A new stage starts its totals again, so its first heartbeat only sets
     * the mark.
     */
    Optional<Interval> heartbeat(Message.Heartbeat h) {
        Message.Heartbeat.Activity on = h.activity();
        if (on.job() == null || on.job().isEmpty() || on.stage() < 0) {
            marks.remove(h.device());
            return Optional.empty();
        }
        Mark now = new Mark(on.job(), on.term(), on.stage(), h.time().computeMillis(), h.time().sendMillis(),
                h.time().totalMillis(), h.counts().forwards(), h.counts().microBatches());
        Mark before = marks.put(h.device(), now);
        if (before == null || !before.job().equals(now.job()) || before.term() != now.term()
                || before.stage() != now.stage() || now.finished() < before.finished()) {
            return Optional.empty();
        }
        double batches = (now.finished() - before.finished() + now.forwards() - before.forwards()) / 2.0;
        if (!(batches > 0)) {
            return Optional.empty();
        }
        double compute = now.compute() - before.compute();
        double send = now.send() - before.send();
        double wait = Math.max(0, now.total() - before.total() - compute - send);
        return Optional.of(new Interval(now.job(), now.stage(), compute / batches, send / batches, wait / batches));
    }
}
