package io.ftpipe.device.stage;

import java.util.ArrayList;
import java.util.List;

/**
 * The warm-up runs of sessions built ahead of their term ({@link StageWarmUp}), kept until the term
 * starts on them and its clock is told, as if they had run then.
 */
public final class WarmUpTimes implements ComputeClock {
    private record Run(Step step, int rows, long nanos, long cpuNanos) {
    }

    private final List<Run> runs = new ArrayList<>();

    @Override
    public void computed(Step step, int rows, long nanos, long cpuNanos) {
        throw new IllegalStateException("sessions built ahead only warm up");
    }

    @Override
    public synchronized void warmedUp(Step step, int rows, long nanos, long cpuNanos) {
        runs.add(new Run(step, rows, nanos, cpuNanos));
    }

    /** Tells {@code clock} of every warm-up run, in order. */
    public synchronized void replay(ComputeClock clock) {
        runs.forEach(r -> clock.warmedUp(r.step(), r.rows(), r.nanos(), r.cpuNanos()));
    }
}
