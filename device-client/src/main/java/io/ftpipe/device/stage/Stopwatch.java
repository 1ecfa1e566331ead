package io.ftpipe.device.stage;

/** Times one compute step on the calling thread, in wall time and in that thread's CPU time. */
final class Stopwatch {
    private final long wall = System.nanoTime();
    private final long cpu = ComputeClock.threadCpuNanos();

    /** Tells {@code clock} the step took from this stopwatch's start until now. */
    void computed(ComputeClock clock, ComputeClock.Step step, int rows) {
        clock.computed(step, rows, System.nanoTime() - wall, ComputeClock.threadCpuNanos() - cpu);
    }

    /** Tells {@code clock} the warm-up run took from this stopwatch's start until now. */
    void warmedUp(ComputeClock clock, ComputeClock.Step step, int rows) {
        clock.warmedUp(step, rows, System.nanoTime() - wall, ComputeClock.threadCpuNanos() - cpu);
    }
}
