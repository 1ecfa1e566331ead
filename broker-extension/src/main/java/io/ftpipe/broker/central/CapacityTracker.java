package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Each device's measured speed and upload rate, from the differences between its heartbeats:
 * compute milliseconds per micro-batch divided by the reference time of the units it holds gives
 * its slowdown. A micro-batch is counted as half a forward plus half a backward, because in any
 * interval a stage has run forwards that are not finished yet (up to the pipeline's depth), and
 * counting only finished ones would make the stages nearest the input look slow. The bytes of its
 * outgoing boundary's round trips (activation out, gradient back) per millisecond those round
 * trips took, less what the next stages held them, give its link rate: what one boundary of this
 * device costs through the broker. Both are smoothed exponentially. The configured
 * emulation factor is never read: only what the device measured. Not thread-safe; the job calls it
 * under its lock.
 */
final class CapacityTracker {
    /**
     * Weight of the newest interval. Shared machines make single intervals swing by a third; this
     * damps a swing while a real 5x slow-down shows at 3.6x within two intervals.
     */
    static final double SMOOTHING = 0.4;
    /** Fewer micro-batches than this in an interval say more about scheduling jitter than about speed. */
    static final long MIN_MICRO_BATCHES = 4;

    /** Where a device's totals stood at the heartbeat an interval is measured from. */
    private record Mark(long term, long forwards, long microBatches, double computeMillis, double boundaryMillis,
                        long boundaryBytes) {
    }

    private final Map<String, Mark> marks = new HashMap<>();
    private final Map<String, Double> slowdowns = new HashMap<>();
    private final Map<String, Double> rates = new HashMap<>();
    private final Map<String, Long> samples = new HashMap<>();

    /**
     * @param referenceMillis reference forward + backward time of the units the device holds in
     *                        {@code h.activity().term()}, per micro-batch
     */
    void heartbeat(Message.Heartbeat h, double referenceMillis) {
        Mark now = new Mark(h.activity().term(), h.counts().forwards(), h.counts().microBatches(),
                h.time().computeMillis(), h.boundary().millis(), h.boundary().bytes());
        Mark before = marks.get(h.device());
        // A new stage starts its totals again, and its first micro-batch pays for ONNX Runtime's
        // warm-up: measure from the first heartbeat after it.
        if (before == null || before.term() != now.term() || now.microBatches() < before.microBatches()) {
            if (now.microBatches() >= 1) {
                marks.put(h.device(), now);
            } else {
                marks.remove(h.device());
            }
            return;
        }
        long finished = now.microBatches() - before.microBatches();
        if (finished < MIN_MICRO_BATCHES || !(referenceMillis > 0)) {
            return;
        }
        double batches = (finished + now.forwards() - before.forwards()) / 2.0;
        double slowdown = (now.computeMillis() - before.computeMillis()) / batches / referenceMillis;
        if (slowdown > 0) {
            slowdowns.merge(h.device(), slowdown, (old, v) -> (1 - SMOOTHING) * old + SMOOTHING * v);
            samples.merge(h.device(), 1L, Long::sum);
        }
        double tripMillis = now.boundaryMillis() - before.boundaryMillis();
        long bytes = now.boundaryBytes() - before.boundaryBytes();
        if (tripMillis > 0 && bytes > 0) {
            rates.merge(h.device(), bytes / tripMillis, (old, v) -> (1 - SMOOTHING) * old + SMOOTHING * v);
        }
        marks.put(h.device(), now);
    }

    /** The device's smoothed slowdown, if it has been measured. */
    OptionalDouble slowdown(String device) {
        Double s = slowdowns.get(device);
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(s);
    }

    /** The device's smoothed link rate in bytes per millisecond, if a boundary of it has been timed. */
    OptionalDouble bytesPerMilli(String device) {
        Double r = rates.get(device);
        return r == null ? OptionalDouble.empty() : OptionalDouble.of(r);
    }

    /** Measurements taken since {@link #forgetSamples}; a re-plan waits for fresh ones. */
    long samples(String device) {
        return samples.getOrDefault(device, 0L);
    }

    void forgetSamples() {
        samples.clear();
    }

    /** Every measured device. */
    Map<String, JobReport.Capacity> snapshot() {
        Map<String, JobReport.Capacity> out = new TreeMap<>();
        slowdowns.forEach((d, s) -> out.put(d, new JobReport.Capacity(s, rates.getOrDefault(d, Double.NaN))));
        return out;
    }
}
