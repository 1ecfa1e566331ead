package io.ftpipe.device.stage;

/**
 * Sees every compute step's duration. The device uses it to emulate a slower device (waiting out
 * {@code (slowdown - 1)} times each step) and to report its measured compute time.
 */
public interface ComputeClock {
    void computed(long nanos);

    ComputeClock NONE = nanos -> {
    };
}
