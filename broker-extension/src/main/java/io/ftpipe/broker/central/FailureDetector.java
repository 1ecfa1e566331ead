package io.ftpipe.broker.central;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Which devices of a term have failed, and how, from what the registry knows of them. A device
 * that is merely slow keeps its connection and its heartbeat and is not failed: the planner gives
 * it less work. A stage that hangs with its heartbeat running shows up as a pipeline that stops
 * finishing micro-batches instead ({@link #idleMillis}, against {@code backwardTimeoutMillis}). Pure.
 */
final class FailureDetector {
    private FailureDetector() {
    }

    /**
     * How long the pipeline has gone without progress: since the oldest unfinished micro-batch was
     * fed, or since a micro-batch last finished if that was later; 0 with nothing in flight. Stuck
     * is no progress, not a slow one: behind a slow link each micro-batch of the window waits its
     * turn, and timed from its feed alone the last of them outlived the timeout while the pipeline
     * was finishing the others.
     *
     * @param oldestFedAgoMillis  how long ago the oldest unfinished micro-batch was fed, if one is in flight
     * @param sinceLastDoneMillis how long ago a micro-batch last finished
     */
    static long idleMillis(OptionalLong oldestFedAgoMillis, long sinceLastDoneMillis) {
        return oldestFedAgoMillis.isPresent() ? Math.min(oldestFedAgoMillis.getAsLong(), sinceLastDoneMillis) : 0;
    }

    /** A device that failed, and what gave it away. */
    record Failure(String device, String reason) {
        @Override
        public String toString() {
            return device + " (" + reason + ")";
        }
    }

    /**
     * @param termStartMillis when the term began: a device that said hello since has restarted
     *                        and lost the stage it was given
     */
    static List<Failure> failed(Collection<String> devices, Function<String, Optional<DeviceRegistry.Device>> known,
                                long termStartMillis, long nowMillis, long heartbeatTimeoutMillis) {
        List<Failure> out = new ArrayList<>();
        for (String id : devices) {
            Optional<DeviceRegistry.Device> d = known.apply(id);
            if (d.isEmpty()) {
                out.add(new Failure(id, "unknown device"));
            } else if (!d.get().connected()) {
                out.add(new Failure(id, "connection lost"));
            } else if (d.get().joinedMillis() > termStartMillis) {
                out.add(new Failure(id, "said hello again since its stage was assigned (restarted, or lost its "
                        + "connection)"));
            } else if (nowMillis - d.get().lastSeenMillis() > heartbeatTimeoutMillis) {
                out.add(new Failure(id, "no heartbeat for " + (nowMillis - d.get().lastSeenMillis()) + " ms"));
            }
        }
        return out;
    }
}
