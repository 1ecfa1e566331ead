package io.ftpipe.broker.central;

import java.util.List;

/**
 * Which stages each device runs, across all running jobs: the read side of
 * {@link StageAssignments}. Thread-safe; called for every MQTT publish and subscribe when
 * security is on, so it must not block.
 */
public interface AssignedStages {
    /** No device runs anything (a central node that runs no jobs). */
    AssignedStages NONE = new AssignedStages() {
        @Override
        public List<AssignedStage> of(String device) {
            return List.of();
        }

        @Override
        public List<AssignedStage> ofRecently(String device) {
            return List.of();
        }
    };

    /** The stages {@code device} runs now; empty if none. What it may subscribe to. */
    List<AssignedStage> of(String device);

    /**
     * The stages it runs now and those it lost within a short grace period (a new term, the job's
     * end): what it may still publish to. A device learns of a new term only when its assignment
     * arrives, and may send the last messages of the old one meanwhile; HiveMQ disconnects a client
     * whose publish is refused, which would look to the central node like a failed device.
     */
    List<AssignedStage> ofRecently(String device);
}
