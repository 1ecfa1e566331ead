package io.ftpipe.broker.central;

import io.ftpipe.broker.plan.MeasuredLinks;
import io.ftpipe.protocol.Message;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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
 * trips took, less what the next stages held them, give the rate of its pair with the next stage's
 * device: what that boundary costs through the broker ({@link MeasuredLinks} prices the other
 * pairs from it). Both are smoothed exponentially. The configured
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
    private final Map<List<String>, MeasuredLinks.Sample> links = new HashMap<>();
    private final Map<String, Long> samples = new HashMap<>();

    /**
     * @param referenceMillis reference forward + backward time of the units the device holds in
     *                        {@code h.activity().term()}, per micro-batch
     * @param receiver        the device of the next stage in that term, or null for the last stage
     */
    void heartbeat(Message.Heartbeat h, double referenceMillis, String receiver) {
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
        if (tripMillis > 0 && bytes > 0 && receiver != null) {
            links.merge(List.of(h.device(), receiver), new MeasuredLinks.Sample(h.device(), receiver,
                    bytes / tripMillis, now.term()), (old, v) -> new MeasuredLinks.Sample(v.from(), v.to(),
                    (1 - SMOOTHING) * old.bytesPerMilli() + SMOOTHING * v.bytesPerMilli(), v.term()));
        }
        marks.put(h.device(), now);
    }

    /** The device's smoothed slowdown, if it has been measured. */
    OptionalDouble slowdown(String device) {
        Double s = slowdowns.get(device);
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(s);
    }

    /**
     * The smoothed rate in bytes per millisecond of the device's newest timed boundary as its
     * sender, if it has had one.
     */
    OptionalDouble bytesPerMilli(String device) {
        return links.values().stream().filter(s -> s.from().equals(device))
                .max(Comparator.comparingLong(MeasuredLinks.Sample::term))
                .map(s -> OptionalDouble.of(s.bytesPerMilli())).orElse(OptionalDouble.empty());
    }

    /** Every pair's rate as measured so far, and the others derived from them. */
    MeasuredLinks links(double defaultBytesPerMilli) {
        return new MeasuredLinks(newestPerPair(), defaultBytesPerMilli);
    }

    /** A pair timed in both directions (in different terms) counts once, as its newer measurement. */
    private List<MeasuredLinks.Sample> newestPerPair() {
        Map<List<String>, MeasuredLinks.Sample> pairs = new HashMap<>();
        for (MeasuredLinks.Sample s : links.values()) {
            List<String> pair = s.from().compareTo(s.to()) <= 0 ? List.of(s.from(), s.to()) : List.of(s.to(), s.from());
            pairs.merge(pair, s, (a, b) -> a.term() >= b.term() ? a : b);
        }
        return new ArrayList<>(pairs.values());
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
        slowdowns.forEach((d, s) -> out.put(d, new JobReport.Capacity(s, bytesPerMilli(d).orElse(Double.NaN))));
        return out;
    }
}
