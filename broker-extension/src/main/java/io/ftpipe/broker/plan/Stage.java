package io.ftpipe.broker.plan;

/**
 * One pipeline stage of a {@link Plan}: units {@code [from, to)} on {@code device}.
 *
 * @param computeMillis forward + backward time of the stage per micro-batch on its device; for the
 *                      first stage at least the time its device's link takes to bring the
 *                      micro-batch's data in from the central node
 * @param sendMillis    time the boundary after this stage is busy per micro-batch (activation out,
 *                      gradient back); 0 for the last stage, which has no outgoing boundary
 */
public record Stage(String device, int from, int to, double computeMillis, double sendMillis) {

    public Stage {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("stage device must be non-blank");
        }
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("stage must hold units [from, to) with 0 <= from < to, got ["
                    + from + ", " + to + ")");
        }
        if (!(computeMillis >= 0) || !(sendMillis >= 0)) {
            throw new IllegalArgumentException("stage times must be >= 0, got compute " + computeMillis
                    + ", send " + sendMillis);
        }
    }

    /** Compute and the outgoing link overlap in a pipeline, so the stage paces at the slower. */
    public double bottleneckMillis() {
        return Math.max(computeMillis, sendMillis);
    }
}
