package io.ftpipe.it;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A fault injected into a running job: once it has finished {@code at} micro-batches, devices
 * picked from its first term's stages are hit once (killed, paused), on the job's listener thread.
 * Tells afterwards whom it hit and whether the job has recovered.
 */
final class FaultAt implements JobListener {
    /** What happens to the devices picked. */
    interface Fault {
        void hit(List<String> devices) throws Exception;
    }

    private final long at;
    private final Function<List<JobReport.Stage>, List<String>> victims;
    private final Fault fault;
    private final AtomicReference<List<JobReport.Stage>> first = new AtomicReference<>();
    private final AtomicReference<List<String>> hit = new AtomicReference<>();
    private final AtomicBoolean recovered = new AtomicBoolean();

    FaultAt(long at, Function<List<JobReport.Stage>, List<String>> victims, Fault fault) {
        this.at = at;
        this.victims = victims;
        this.fault = fault;
    }

    /** The device of the first term's stage {@code stage}. */
    static FaultAt onStage(long at, int stage, Fault fault) {
        return new FaultAt(at, stages -> List.of(stages.get(stage).device()), fault);
    }

    @Override
    public void termStarted(JobReport.Term term) {
        first.compareAndSet(null, term.stages());
    }

    @Override
    public void recovered(JobReport.Recovery recovery) {
        recovered.set(true);
    }

    @Override
    public void microBatchDone(long done, double loss) {
        if (done >= at && hit.get() == null && hit.compareAndSet(null, victims.apply(first.get()))) {
            try {
                fault.hit(hit.get());
            } catch (Exception e) {
                throw new IllegalStateException("the fault at micro-batch " + at + " failed on " + hit.get(), e);
            }
        }
    }

    /** The devices hit; empty before. */
    List<String> devices() {
        List<String> h = hit.get();
        return h == null ? List.of() : h;
    }

    /** The one device hit. */
    String device() {
        return devices().get(0);
    }

    boolean recovered() {
        return recovered.get();
    }
}
