package io.ftpipe.broker.central;

/**
 * One stage a device runs now: stage {@code stage} of the {@code stages} stages of job {@code job}.
 * What the access rules need to know which stage topics the device may use.
 */
public record AssignedStage(String job, int stage, int stages) {
    public AssignedStage {
        java.util.Objects.requireNonNull(job, "job");
        if (stage < 0 || stage >= stages) {
            throw new IllegalArgumentException("stage " + stage + " of " + stages);
        }
    }
}
