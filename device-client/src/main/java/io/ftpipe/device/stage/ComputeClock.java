package io.ftpipe.device.stage;

/**
 * Sees every compute step's duration. The device uses it to emulate a slower device and to report
 * its measured compute time.
 */
public interface ComputeClock {

    /** What a compute step was. */
    enum Step { FORWARD, BACKWARD, OPTIMIZER }

    /** One {@code step} of a micro-batch of {@code rows} samples took {@code nanos}. */
    void computed(Step step, int rows, long nanos);

    ComputeClock NONE = (step, rows, nanos) -> {
    };
}
