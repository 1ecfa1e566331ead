package io.ftpipe.device.stage;

import io.ftpipe.protocol.InFlight;
import io.ftpipe.protocol.Schedules;

/**
 * The pure rules of the schedules, kept apart from the code that runs them.
 *
 * <p>Asynchronous 1F1B (PipeDream, FTPipeHD): a stage admits a new forward while fewer than
 * {@link InFlight#oneFOneB} micro-batches are between its forward and its backward, and applies an
 * optimizer step after every backward (weights stashed per forward). {@code 1f1b-overlap} holds
 * more in flight, to overlap the broker's round trips, for staler weights.
 *
 * <p>Synchronous GPipe: forwards and backwards run as they come; gradients of {@code M}
 * micro-batches accumulate and one optimizer step follows the M-th backward.
 */
public record Schedule(String name, int stage, int stages, int microBatches) {
    public Schedule {
        if (!Schedules.NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown schedule '" + name + "'; known: "
                    + String.join(", ", Schedules.NAMES));
        }
        if (stage < 0 || stage >= stages || microBatches < 1) {
            throw new IllegalArgumentException("bad schedule: stage " + stage + " of " + stages + ", "
                    + microBatches + " micro-batches");
        }
    }

    public boolean synchronous() {
        return Schedules.GPIPE.equals(name);
    }

    /** May a forward start with {@code inFlight} micro-batches between forward and backward here? */
    public boolean admitsForward(int inFlight) {
        return inFlight < InFlight.limit(name, stage, stages, microBatches);
    }

    /** Does the backward that just finished ({@code accumulated} so far this step) end with a step? */
    public boolean stepsAfter(int accumulated) {
        return !synchronous() || accumulated == microBatches;
    }

    /** Must forwards keep the weights they used until their backward (they change in between)? */
    public boolean stashesWeights() {
        return !synchronous() && stages - stage > 1;
    }
}
