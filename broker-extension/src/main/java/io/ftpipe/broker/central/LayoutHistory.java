package io.ftpipe.broker.central;

import io.ftpipe.broker.plan.StageAssignment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pace each layout of a job achieved, so that a layout tried before is judged by what it did
 * rather than by a prediction. Predictions carry the cost model's errors: on the testbed a stage
 * that decodes and encodes the large boundaries costs its device more than the units' reference
 * says, the device holding it looked slow, the planner swapped the two stages' devices, the other
 * one looked slow, and the job flapped between two layouts every few seconds, each re-plan
 * predicting a gain. Pure; the job calls it under its lock.
 */
final class LayoutHistory {
    /** Finished micro-batches a term needs before its pace counts: fewer say more about its fill. */
    static final int MIN_MICRO_BATCHES = 8;

    private final Map<List<StageAssignment>, Double> millisPerMicroBatch = new HashMap<>();
    private List<StageAssignment> current = List.of();
    private long first = -1;
    private long last;
    private long finished;

    /** A new term on {@code layout}: its pace is measured from its first finished micro-batch. */
    void started(List<StageAssignment> layout) {
        current = List.copyOf(layout);
        first = -1;
        finished = 0;
    }

    /** A micro-batch of the current term finished at {@code nowMillis}. */
    void finished(long nowMillis) {
        if (first < 0) {
            first = nowMillis;
        } else {
            finished++;
            last = nowMillis;
            if (finished >= MIN_MICRO_BATCHES) {
                millisPerMicroBatch.put(current, (double) (last - first) / finished);
            }
        }
    }

    /**
     * Whether {@code candidate} ran before and did not beat the current layout's pace by
     * {@code threshold} (0.25: 25 % more micro-batches per second). A layout never run, or a
     * current one whose pace is not known yet, is left to the prediction.
     */
    boolean didNoBetter(List<StageAssignment> candidate, double threshold) {
        Double before = millisPerMicroBatch.get(candidate);
        Double now = millisPerMicroBatch.get(current);
        return before != null && now != null && !(before * (1 + threshold) < now);
    }
}
