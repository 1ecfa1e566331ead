package io.ftpipe.broker.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;

/**
 * One job's share of the metrics, from the events the job tells its listeners: samples trained,
 * re-plans, recoveries and the devices they replaced. Called on the job's thread only.
 */
final class JobMetrics implements JobListener {
    private final Meter samples;
    private final Counter repartitions;
    private final Counter recoveries;
    private final Counter devicesFailed;
    private final int microBatchSize;
    private long done;

    /** @param doneBefore micro-batches the job had finished when it was (re)started here */
    JobMetrics(Meter samples, Counter repartitions, Counter recoveries, Counter devicesFailed, int microBatchSize,
               long doneBefore) {
        this.samples = samples;
        this.repartitions = repartitions;
        this.recoveries = recoveries;
        this.devicesFailed = devicesFailed;
        this.microBatchSize = microBatchSize;
        this.done = doneBefore;
    }

    /**
     * Marks the samples of the micro-batches finished since the last call. A recovery rewinds the
     * job's count to the micro-batches it feeds again; those are marked again when they finish, as
     * they are trained again: this meters work done, while the report counts each sample once.
     * The epoch's last micro-batch may be short, so the count can be a little high.
     */
    @Override
    public void microBatchDone(long done, double recentLoss) {
        if (done > this.done) {
            samples.mark((done - this.done) * microBatchSize);
        }
        this.done = done;
    }

    @Override
    public void replanned(JobReport.Term term) {
        repartitions.inc();
    }

    @Override
    public void recovered(JobReport.Recovery recovery) {
        recoveries.inc();
        devicesFailed.inc(recovery.failed().size());
    }
}
