package io.ftpipe.device.mqtt;

/**
 * A transport operation failed: not connected in time, the publish window stayed full, the
 * broker refused something, or the transport is closed. Unchecked, because handlers (plain
 * {@code BiConsumer}s) publish too.
 */
public class TransportException extends RuntimeException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
