package io.ftpipe.broker.central;

/**
 * After a recovery, the micro-batches whose updates restored units lost are fed again, finished
 * already: the units behind get their updates while the stages that hold them only pass gradients
 * on, and the pipeline then goes on as if nothing had happened. Under GPipe each replayed step is
 * flushed before the next, as in training.
 */
final class CatchUp {
    private final JobSpec spec;
    private final JobState state;
    private final TermControl terms;
    private final JobTimeouts timeouts;
    private final JobStatus status;

    CatchUp(JobSpec spec, JobState state, TermControl terms, JobTimeouts timeouts, JobStatus status) {
        this.spec = spec;
        this.state = state;
        this.terms = terms;
        this.timeouts = timeouts;
        this.status = status;
    }

    /**
     * Feeds micro-batches {@code [from, until)} of a training set of {@code samples} through
     * {@code feeder} and waits until they are through; the caller then feeds the ones that were in
     * flight again, at once.
     */
    void run(Feeder feeder, int samples, long from, long until) throws Exception {
        if (from >= until) {
            return;
        }
        status.event("replaying micro-batches " + from + ".." + (until - 1) + " for the units that lost their updates");
        // The micro-batches in flight when the term broke are fed again only after the replay, and
        // until then their feed times are the broken term's: taken for a stall, they broke every
        // new term at once once they were older than the backward timeout (found by bench chaos:
        // a long roll back went round in recoveries for minutes). The replay's own waits time it.
        synchronized (state) {
            state.feeding = false;
        }
        boolean accumulates = spec.scheduling().accumulates();
        for (long i = from; i < until; i++) {
            long next = i;
            MicroBatchIndex.Location at = MicroBatchIndex.locate(next, samples, spec.batchSize(),
                    spec.microBatchSize());
            if (accumulates && at.stepStart() && next > from) {
                terms.await(() -> state.caughtUpTo(next), timeouts.stallMillis(), "the replayed step to flush");
            }
            terms.await(() -> next - from - state.caughtUp.cardinality() < state.feedLimit(), timeouts.stallMillis(),
                    "replayed micro-batch " + (next - state.feedLimit()) + " to finish");
            feeder.feedFinished(next, at.epoch(), at.from(), at.count());
        }
        terms.await(() -> state.caughtUpTo(until), timeouts.stallMillis(), "the replayed micro-batches to finish");
        synchronized (state) {
            state.feeding = true;
        }
    }
}
