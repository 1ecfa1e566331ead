package io.ftpipe.device;

import io.ftpipe.device.stage.ComputeClock;

import java.util.concurrent.TimeUnit;

/**
 * Where a device's time goes since its stage was assigned: compute (including the emulated
 * slowdown), sending, and waiting (the rest). To emulate a slower device it waits out
 * {@code slowdown - 1} times each compute step; the planner only ever sees measured times.
 */
final class StageClock implements ComputeClock {
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
    public void computed(long nanos) {
        long extra = (long) ((slowdown - 1) * nanos);
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
