package io.ftpipe.broker.plan;

/**
 * What one partitionable unit of the model (a layer or block) costs, measured once on the
 * reference device. Units are the atoms the planner cuts between; it never splits one.
 *
 * @param forwardBackwardMillis forward + backward time of this unit for one micro-batch on the
 *                              reference device
 * @param outputBytes           activation bytes per micro-batch that cross a stage boundary placed
 *                              right after this unit (the gradient coming back has the same size)
 * @param memoryBytes           weights + optimizer state + activation stash this unit needs on
 *                              whichever device holds it
 */
public record UnitCost(double forwardBackwardMillis, long outputBytes, long memoryBytes) {

    public UnitCost {
        if (!(forwardBackwardMillis >= 0) || Double.isInfinite(forwardBackwardMillis)) {
            throw new IllegalArgumentException(
                    "forwardBackwardMillis must be finite and >= 0, got " + forwardBackwardMillis);
        }
        if (outputBytes < 0) {
            throw new IllegalArgumentException("outputBytes must be >= 0, got " + outputBytes);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, got " + memoryBytes);
        }
    }
}
