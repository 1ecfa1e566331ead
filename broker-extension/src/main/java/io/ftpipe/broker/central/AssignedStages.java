package io.ftpipe.broker.central;

import java.util.List;

/**
 * Which stages each device runs now, across all running jobs: the read side of
 * {@link StageAssignments}. Thread-safe; called for every MQTT publish and subscribe when
 * security is on, so it must not block.
 */
@FunctionalInterface
public interface AssignedStages {
    /** No device runs anything (a central node that runs no jobs). */
    AssignedStages NONE = device -> List.of();

    /** The stages {@code device} runs now; empty if none. */
    List<AssignedStage> of(String device);
}
