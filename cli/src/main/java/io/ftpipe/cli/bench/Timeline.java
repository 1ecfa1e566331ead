package io.ftpipe.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Micro-batches finished over time in one run, and what throughput they add up to. Pure apart
 * from {@link #add}; times are seconds since the run's job was submitted.
 */
public final class Timeline {
    /** One observation: {@code done} micro-batches finished at {@code seconds}. */
    public record Point(double seconds, long done) {
    }

    private final List<Point> points = new ArrayList<>();
    private final int samplesPerMicroBatch;

    public Timeline(int samplesPerMicroBatch) {
        this.samplesPerMicroBatch = samplesPerMicroBatch;
    }

    public synchronized void add(double seconds, long done) {
        points.add(new Point(seconds, done));
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** Samples/s from the first observation at or after {@code fromSeconds} to the last. */
    public synchronized double samplesPerSecond(double fromSeconds) {
        Point last = points.get(points.size() - 1);
        for (Point p : points) {
            if (p.seconds() >= fromSeconds && p != last) {
                return samplesPerMicroBatch * (last.done() - p.done()) / (last.seconds() - p.seconds());
            }
        }
        return Double.NaN;
    }

    /** Samples/s in each window of {@code width} seconds ending at each observation, as (end, rate). */
    public synchronized List<double[]> windowed(double width) {
        List<double[]> out = new ArrayList<>();
        int start = 0;
        for (Point end : points) {
            while (end.seconds() - points.get(start).seconds() > width) {
                start++;
            }
            Point from = points.get(start);
            if (end.seconds() - from.seconds() >= width / 2) {
                out.add(new double[]{end.seconds(), samplesPerMicroBatch * (end.done() - from.done())
                        / (end.seconds() - from.seconds())});
            }
        }
        return out;
    }

    /**
     * Seconds from {@code since} until the windowed throughput first comes within 10 % of
     * {@code target} (and NaN if it never does).
     */
    public synchronized double secondsToReach(double since, double target, double width) {
        for (double[] w : windowed(width)) {
            if (w[0] - width >= since && w[1] >= 0.9 * target) {
                return w[0] - since;
            }
        }
        return Double.NaN;
    }

    /**
     * For each moment (a layout change), the seconds with no micro-batch finishing around it: from
     * the first observation of the count reached at the moment to the first observation of a higher
     * one (NaN if there is none).
     */
    public synchronized List<Double> pausesAround(List<Double> moments) {
        List<Double> pauses = new ArrayList<>();
        for (double m : moments) {
            Point stalled = null;
            Point resumed = null;
            for (Point p : points) {
                if (p.seconds() <= m) {
                    stalled = stalled != null && stalled.done() == p.done() ? stalled : p;
                } else if (stalled != null && p.done() > stalled.done()) {
                    resumed = p;
                    break;
                }
            }
            pauses.add(stalled == null || resumed == null ? Double.NaN : resumed.seconds() - stalled.seconds());
        }
        return pauses;
    }
}
