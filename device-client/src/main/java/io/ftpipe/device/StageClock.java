package io.ftpipe.device;

import io.ftpipe.device.stage.ComputeClock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where a device's time goes since its stage was assigned: compute (including the emulated
 * slowdown), sending, and waiting (the rest). To emulate a device k times slower, each compute
 * step is waited out to k times the fastest that step has run on this stage; the planner only
 * ever sees measured times.
 *
 * <p>Why the fastest and not this run: on a machine whose cores other devices share (a test
 * bench), a run also holds time lost to them. Multiplying that by k would emulate a device slower
 * than asked, and more so the busier the others are; the fastest run is this machine's own speed.
 *
 * <p>The first run of each step on a stage is ONNX Runtime's warm-up (allocations, kernel choice),
 * often ten times a later run: it is neither padded nor a speed. Padding it k-fold held a 40x
 * device's first micro-batches for tens of seconds, longer than the central node's stall timeout.
 */
final class StageClock implements ComputeClock {
    private record Kind(Step step, int rows) {
    }

    /** Marks a step seen once: its warm-up, not yet a speed. */
    private static final long WARM_UP = Long.MAX_VALUE;

    private final Map<Kind, Long> fastest = new ConcurrentHashMap<>();
    private volatile double slowdown;
    private volatile double meanMillis;
    private volatile long computeNanos;
    private volatile long sendNanos;
    private volatile long sentBytes;
    private volatile long stageStart = System.nanoTime();

    StageClock(double slowdown) {
        setSlowdown(slowdown);
    }

    /** Changes the emulated slowdown from the next compute step on (time-varying capacity). */
    void setSlowdown(double slowdown) {
        if (!(slowdown >= 1) || Double.isInfinite(slowdown)) {
            throw new IllegalArgumentException("slowdown must be finite and >= 1, got " + slowdown);
        }
        this.slowdown = slowdown;
    }

    @Override
    public void computed(Step step, int rows, long nanos) {
        long best = fastest.merge(new Kind(step, rows), WARM_UP, (before, warmUp) -> Math.min(before, nanos));
        long extra = best == WARM_UP ? 0 : Math.max(0, (long) (slowdown * best) - nanos);
        if (extra > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(extra);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double millis = (nanos + extra) / 1e6;
        meanMillis = meanMillis == 0 ? millis : 0.9 * meanMillis + 0.1 * millis;
        computeNanos += nanos + extra;
    }

    void sent(long nanos, int bytes) {
        sendNanos += nanos;
        sentBytes += bytes;
    }

    /** A new stage: the totals start again. */
    void restart() {
        fastest.clear();
        computeNanos = 0;
        sendNanos = 0;
        sentBytes = 0;
        stageStart = System.nanoTime();
    }

    double meanMillis() {
        return meanMillis;
    }

    double computeTotalMillis() {
        return computeNanos / 1e6;
    }

    double sendTotalMillis() {
        return sendNanos / 1e6;
    }

    long sentBytes() {
        return sentBytes;
    }

    double stageMillis() {
        return (System.nanoTime() - stageStart) / 1e6;
    }
}
