package io.ftpipe.device.config;

/** The device configuration is unusable; the message names where the bad value came from and the fix. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
