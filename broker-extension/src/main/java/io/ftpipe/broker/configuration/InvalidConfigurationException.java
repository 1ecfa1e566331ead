package io.ftpipe.broker.configuration;

/**
 * The extension configuration cannot be used. The message is written for the operator: it names
 * the file and the key, and it is what {@code preventExtensionStartup} shows in HiveMQ's log.
 */
public final class InvalidConfigurationException extends Exception {
    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
