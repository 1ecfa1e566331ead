package io.ftpipe.device;

import io.ftpipe.device.stage.ComputeClock;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Where a device's time goes since its stage was assigned: compute (including the emulated
 * slowdown), sending, and waiting (the rest). To emulate a device k times slower, each compute
 * step is waited out to k times the device's own time for that step: the least it has taken on
 * these sessions. The planner only ever sees measured times.
 *
 * <p>Own time is CPU time of the thread that runs ONNX Runtime when the sessions run on that
 * thread alone (one intra-op thread, as emulated devices have), and wall time otherwise. Why CPU
 * time: on a machine whose cores other devices share (a test bench), a run's wall time also holds
 * time lost to them. Multiplying that by k would emulate a device slower than asked, and more so
 * the busier the others are. Why the least: a device that waits out most of its time, as an
 * emulated slow one does, runs each step with cold caches, which a device that is really slow,
 * and busy, does not.
 *
 * <p>The {@link io.ftpipe.device.stage.StageWarmUp} of new sessions gives the first speeds: a
 * stage that waits for a slower neighbour runs every step cold, and its training runs alone would
 * keep its own time high for as long as it waits.
 *
 * <p>A step not seen before (the optimizer's, a short last micro-batch) has its first run taken as
 * ONNX Runtime's warm-up (allocations, kernel choice), often ten times a later run: it is neither
 * padded nor a speed. Padding it k-fold held a 40x device's first micro-batches for tens of
 * seconds, longer than the central node's stall timeout.
 *
 * <p>Under a CPU quota of less than a core (a gateway's container limit, a testbed host), a step
 * counts as at least its CPU time over the quota: what it costs when the device is busy. Its wall
 * time says less: a stage that waits for its neighbours starts each step with the quota unspent
 * and runs it at the full core's speed, so a lightly loaded device looked several times faster
 * than it is, was given more units, slowed down, and the next plan took them away again. And the
 * stage's compute in all is at least the whole process's CPU time since the stage began over the
 * quota: decoding and encoding its boundaries, the MQTT client and the garbage collector spend the
 * same quota. On a tenth of a core they cost more than a small stage's compute, and a host that
 * looked fast enough for one unit made the whole pipeline wait.
 */
final class StageClock implements ComputeClock {
    private record Kind(Step step, int rows) {
    }

    /** Marks a step seen once: its warm-up, not yet a speed. */
    private static final long WARM_UP = Long.MAX_VALUE;

    private final Map<Kind, Long> fastest = new ConcurrentHashMap<>();
    private final boolean cpuTimed;
    private final DoubleSupplier quotaCores;
    private final LongSupplier processCpuNanos;
    private volatile long processCpuAtStart;
    private volatile double slowdown;
    private volatile double meanMillis;
    private volatile long computeNanos;
    private volatile long sendNanos;
    private volatile long sentBytes;
    private volatile long stageStart = System.nanoTime();

    /** @param cpuTimed the sessions run on the calling thread alone: own time is its CPU time */
    StageClock(double slowdown, boolean cpuTimed) {
        this(slowdown, cpuTimed, () -> Double.POSITIVE_INFINITY, StageClock::processCpuNanos);
    }

    /**
     * @param quotaCores      the cores the process's CPU quota allows now (infinite without one)
     * @param processCpuNanos the CPU time of the whole process so far
     */
    StageClock(double slowdown, boolean cpuTimed, DoubleSupplier quotaCores, LongSupplier processCpuNanos) {
        setSlowdown(slowdown);
        this.cpuTimed = cpuTimed;
        this.quotaCores = quotaCores;
        this.processCpuNanos = processCpuNanos;
        this.processCpuAtStart = processCpuNanos.getAsLong();
    }

    /** This JVM's CPU time, or 0 where the platform cannot tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** Changes the emulated slowdown from the next compute step on (time-varying capacity). */
    void setSlowdown(double slowdown) {
        if (!(slowdown >= 1) || Double.isInfinite(slowdown)) {
            throw new IllegalArgumentException("slowdown must be finite and >= 1, got " + slowdown);
        }
        this.slowdown = slowdown;
    }

    @Override
    public void computed(Step step, int rows, long nanos, long cpuNanos) {
        long own = own(nanos, cpuNanos);
        long best = fastest.merge(new Kind(step, rows), WARM_UP, (before, warmUp) -> Math.min(before, own));
        long extra = best == WARM_UP ? 0 : Math.max(0, (long) (slowdown * best) - nanos);
        if (extra > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(extra);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long charged = Math.max(nanos + extra, underQuota(cpuNanos));
        double millis = charged / 1e6;
        meanMillis = meanMillis == 0 ? millis : 0.9 * meanMillis + 0.1 * millis;
        computeNanos += charged;
    }

    @Override
    public void warmedUp(Step step, int rows, long nanos, long cpuNanos) {
        fastest.merge(new Kind(step, rows), own(nanos, cpuNanos), Math::min);
    }

    /** The step's CPU time spread over the quota, where the quota is less than the one core it runs on. */
    private long underQuota(long cpuNanos) {
        double cores = quotaCores.getAsDouble();
        return cpuTimed && cpuNanos > 0 && cores < 1 ? (long) (cpuNanos / cores) : 0;
    }

    private long own(long nanos, long cpuNanos) {
        return cpuTimed && cpuNanos > 0 ? cpuNanos : nanos;
    }

    void sent(long nanos, int bytes) {
        sendNanos += nanos;
        sentBytes += bytes;
    }

    /**
     * A new stage: the totals start again. The speeds of its steps are kept when it runs on the
     * same sessions (the same graphs and threads), and forgotten when not.
     */
    void restart(boolean sameSessions) {
        if (!sameSessions) {
            fastest.clear();
        }
        computeNanos = 0;
        sendNanos = 0;
        sentBytes = 0;
        stageStart = System.nanoTime();
        processCpuAtStart = processCpuNanos.getAsLong();
    }

    double meanMillis() {
        return meanMillis;
    }

    double computeTotalMillis() {
        double cores = quotaCores.getAsDouble();
        double process = cores < 1 ? (processCpuNanos.getAsLong() - processCpuAtStart) / cores : 0;
        return Math.max(computeNanos, process) / 1e6;
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
