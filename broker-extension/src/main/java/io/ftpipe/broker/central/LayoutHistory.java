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
 * predicting a gain. And a re-plan whose layout fell short of its prediction by more than the
 * threshold raises the bar for the next one: on the testbed every layout looked slower once run
 * than the untried ones, and the job kept re-planning, pausing each time. Pure; the job calls it
 * under its lock.
 */
final class LayoutHistory {
    /** Finished micro-batches a term needs before its pace counts: fewer say more about its fill. */
    static final int MIN_MICRO_BATCHES = 8;
    /** Finished micro-batches after which a re-planned layout is held to its prediction, past its ramp. */
    static final int VERDICT_MICRO_BATCHES = 2 * MIN_MICRO_BATCHES;
    /** A re-planned layout this much slower than predicted missed its prediction. */
    static final double MISS_MARGIN = 0.25;
    /** Missed predictions in a row beyond which the bar rises no further (to 2^this times the threshold). */
    static final int MAX_MISSES = 3;

    private final Map<List<StageAssignment>, Double> millisPerMicroBatch = new HashMap<>();
    private List<StageAssignment> current = List.of();
    private long first = -1;
    private long last;
    private long finished;
    private double predictedMillis = Double.NaN;
    private boolean replanned;
    private int misses;

    /**
     * A new term on {@code layout}: its pace is measured from its first finished micro-batch.
     *
     * @param predictedMillis the plan's predicted milliseconds per micro-batch
     * @param replanned       whether a re-plan chose it (not the start or a recovery)
     */
    void started(List<StageAssignment> layout, double predictedMillis, boolean replanned) {
        current = List.copyOf(layout);
        first = -1;
        finished = 0;
        this.predictedMillis = predictedMillis;
        this.replanned = replanned;
    }

    /** A micro-batch of the current term finished at {@code nowMillis}. */
    void finished(long nowMillis) {
        if (first < 0) {
            first = nowMillis;
        } else {
            finished++;
            last = nowMillis;
            if (finished >= MIN_MICRO_BATCHES) {
                double pace = (double) (last - first) / finished;
                millisPerMicroBatch.put(current, pace);
                if (finished == VERDICT_MICRO_BATCHES && replanned) {
                    misses = pace > predictedMillis * (1 + MISS_MARGIN) ? Math.min(MAX_MISSES, misses + 1) : 0;
                }
            }
        }
    }

    /** The gain a re-plan must predict now: {@code base}, doubled for each missed prediction in a row. */
    double threshold(double base) {
        return base * (1 << misses);
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
