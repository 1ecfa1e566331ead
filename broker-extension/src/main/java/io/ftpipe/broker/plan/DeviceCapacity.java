package io.ftpipe.broker.plan;

/**
 * How fast and how big one worker is, as the planner sees it.
 *
 * @param id          the worker's id, unique within one planning call
 * @param slowdown    measured time / reference time for the same units; 1 is reference speed,
 *                    10 is ten times slower
 * @param memoryBytes what the worker can devote to its stage; a stage never exceeds it
 */
public record DeviceCapacity(String id, double slowdown, long memoryBytes) {

    /**
     * Below this a measured ratio is a timing glitch, not a device: it would let one "device"
     * swallow the whole model at no cost and hide every other choice.
     */
    public static final double MIN_SLOWDOWN = 1e-3;

    public DeviceCapacity {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("device id must be non-blank");
        }
        if (!(slowdown >= MIN_SLOWDOWN) || Double.isInfinite(slowdown)) {
            throw new IllegalArgumentException("device " + id + ": slowdown must be finite and >= "
                    + MIN_SLOWDOWN + ", got " + slowdown);
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("device " + id + ": memoryBytes must be > 0, got " + memoryBytes);
        }
    }
}
