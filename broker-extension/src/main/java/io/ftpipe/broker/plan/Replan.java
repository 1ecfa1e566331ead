package io.ftpipe.broker.plan;

import java.util.List;
import java.util.Optional;

/** When moving to a better plan pays for itself. */
public final class Replan {

    private Replan() {
    }

    /**
     * The plan to move to, if any: the best plan for the measured capacities (of the equally fast
     * ones, the one that moves least), when it beats
     * {@code current} (the current assignment costed with the same measurements, see
     * {@link Planner#predict}) by enough to be {@link #worthIt}.
     */
    public static Optional<Plan> better(List<UnitCost> units, List<DeviceCapacity> devices, Link link, Plan current,
                                        double migrationMillis, long remainingMicroBatches, double threshold) {
        Plan best = Planner.plan(units, devices, link, current.assignment());
        return worthIt(current, best, migrationMillis, remainingMicroBatches, threshold) ? Optional.of(best)
                : Optional.empty();
    }

    /**
     * Hysteresis against chasing noise: the candidate must win back the migration within the
     * remaining work AND be better by more than {@code threshold} (relative), so that small
     * fluctuations in measured slowdowns never make the pipeline flap between plans.
     *
     * @param migrationMillis        wall time lost moving weights and state to the new layout
     * @param remainingMicroBatches  micro-batches still to train
     * @param threshold              minimum relative gain, e.g. 0.1 for 10 %
     */
    public static boolean worthIt(Plan current, Plan candidate, double migrationMillis,
                                  long remainingMicroBatches, double threshold) {
        if (!(migrationMillis >= 0) || remainingMicroBatches < 0 || !(threshold >= 0)) {
            throw new IllegalArgumentException("need migrationMillis >= 0, remainingMicroBatches >= 0, threshold >= 0;"
                    + " got " + migrationMillis + ", " + remainingMicroBatches + ", " + threshold);
        }
        double gain = current.predictedMillisPerMicroBatch() - candidate.predictedMillisPerMicroBatch();
        if (gain <= 0) {
            return false;
        }
        return gain * remainingMicroBatches > migrationMillis
                && gain / current.predictedMillisPerMicroBatch() > threshold;
    }
}
