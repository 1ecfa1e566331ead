package io.ftpipe.protocol;

/**
 * What a {@link Schedule} asks of one stage.
 *
 * @param inFlightLimit    micro-batches the stage may hold between their forward and their backward
 * @param stashesWeights   whether a forward keeps the weights it used until its backward (they change in between)
 * @param stepsAfterEach   an optimizer step after every backward (1F1B), or gradients accumulated over
 *                         {@code stepMicroBatches} backwards and one step after the last (GPipe)
 * @param stepMicroBatches the micro-batches of one optimizer step
 */
public record StageRules(int inFlightLimit, boolean stashesWeights, boolean stepsAfterEach, int stepMicroBatches) {

    /** May a forward start with {@code inFlight} micro-batches between forward and backward here? */
    public boolean admitsForward(int inFlight) {
        return inFlight < inFlightLimit;
    }

    /** Does the backward that just finished ({@code accumulated} so far this step) end with a step? */
    public boolean stepsAfter(int accumulated) {
        return stepsAfterEach || accumulated == stepMicroBatches;
    }
}
