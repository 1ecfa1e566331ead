package io.ftpipe.broker.central;

/**
 * A job ended without a model, for a reason that is the fleet's or the operator's, not a bug: it was
 * stopped, a device reported an error, no device was left, or too few devices joined in time. Its
 * message says which.
 */
public final class JobFailedException extends RuntimeException {
    public JobFailedException(String message) {
        super(message);
    }
}
