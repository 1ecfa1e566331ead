package io.ftpipe.broker.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Link rates for every device pair from the round trips timed between the pairs a pipeline has
 * used. A round trip crosses both devices' links through the broker, and a device that is slow to
 * receive (a CPU-starved gateway decodes slowly, a slow link) slows every boundary into it. So a
 * slow pair is not the sender's fault alone: charged to the sender, a fast device that happened
 * to feed a slow one looked slow in every later plan and was left out.
 *
 * <p>Each device gets a share of a pair's time per byte. Its best pair, split evenly, bounds its
 * share from below; of every pair whose other side has the lower bound, the rest of that pair's
 * time falls to this side. Every pair measured is then priced at least as slow as measured, and
 * a device is blamed for a slow pair only as far as its other pairs do not clear it. A device's
 * evidence is its pairs of the newest term it was measured in: after a link degrades, its older,
 * faster pairs would clear it and blame its neighbours.
 */
public final class MeasuredLinks implements Bandwidth {

    /** One boundary's timed rate: bytes of activation and gradient per millisecond of round trip. */
    public record Sample(String from, String to, double bytesPerMilli, long term) {
        public Sample {
            if (!(bytesPerMilli > 0) || Double.isInfinite(bytesPerMilli)) {
                throw new IllegalArgumentException("rate " + from + " -> " + to + " must be > 0, got " + bytesPerMilli);
            }
        }

        boolean joins(String device) {
            return from.equals(device) || to.equals(device);
        }

        String other(String device) {
            return from.equals(device) ? to : from;
        }
    }

    private final Map<String, Double> pairs = new HashMap<>();
    private final Map<String, Double> shares = new HashMap<>();
    private final double unknownShare;

    /**
     * @param samples             the newest rate of every pair measured, at most one per pair
     * @param defaultBytesPerMilli the rate of a pair of two devices never measured
     */
    public MeasuredLinks(List<Sample> samples, double defaultBytesPerMilli) {
        this.unknownShare = 0.5 / defaultBytesPerMilli;
        Map<String, List<Sample>> evidence = new HashMap<>();
        for (Sample s : samples) {
            for (String d : List.of(s.from(), s.to())) {
                evidence.computeIfAbsent(d, k -> newest(samples, d));
            }
        }
        for (Sample s : samples) {
            if (evidence.get(s.from()).contains(s) && evidence.get(s.to()).contains(s)) {
                pairs.put(key(s.from(), s.to()), s.bytesPerMilli());
            }
        }
        Map<String, Double> lower = new HashMap<>();
        evidence.forEach((d, own) -> lower.put(d, own.stream().mapToDouble(s -> 0.5 / s.bytesPerMilli()).min()
                .orElseThrow()));
        evidence.forEach((d, own) -> {
            double share = lower.get(d);
            for (Sample s : own) {
                double theirs = lower.get(s.other(d));
                if (theirs <= lower.get(d)) {
                    share = Math.max(share, 1 / s.bytesPerMilli() - theirs);
                }
            }
            shares.put(d, share);
        });
    }

    private static List<Sample> newest(List<Sample> samples, String device) {
        long term = samples.stream().filter(s -> s.joins(device)).mapToLong(Sample::term).max().orElseThrow();
        return samples.stream().filter(s -> s.joins(device) && s.term() == term).toList();
    }

    /**
     * A pair in both its devices' newest evidence is taken as measured, in either direction; any
     * other pair, and the central node's feed into a device, is priced from the shares.
     */
    @Override
    public double bytesPerMilli(String from, String to) {
        Double measured = pairs.get(key(from, to));
        return measured != null ? measured : 1 / (share(from) + share(to));
    }

    /** This device's part of a pair's milliseconds per byte; none for the central node, which sits at the broker. */
    double share(String device) {
        return device.equals(Link.FEEDER) ? 0 : shares.getOrDefault(device, unknownShare);
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "\u0000" + b : b + "\u0000" + a;
    }
}
