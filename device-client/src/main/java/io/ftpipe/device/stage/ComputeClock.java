package io.ftpipe.device.stage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Sees every compute step's duration. The device uses it to emulate a slower device and to report
 * its measured compute time.
 */
public interface ComputeClock {

    /** What a compute step was. */
    enum Step { FORWARD, BACKWARD, OPTIMIZER }

    /**
     * One {@code step} of a micro-batch of {@code rows} samples took {@code nanos} of wall time,
     * {@code cpuNanos} of them on the calling thread's CPU ({@link #threadCpuNanos}).
     */
    void computed(Step step, int rows, long nanos, long cpuNanos);

    /** A warm-up run of {@code step} ({@link StageWarmUp}): a speed, not training time. */
    default void warmedUp(Step step, int rows, long nanos, long cpuNanos) {
    }

    ComputeClock NONE = (step, rows, nanos, cpuNanos) -> {
    };

    /** CPU time of the calling thread so far, or 0 where the JVM cannot tell. */
    static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }
}
