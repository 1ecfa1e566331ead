package io.ftpipe.broker.status;

import java.util.Locale;

/**
 * A device joined, came back, restarted or went: what {@code ftpipe/v1/events/devices} carries.
 *
 * @param reason   what gave it away, for people ("joined", "connection lost", "last will", ...)
 * @param atMillis when the central node noticed, in milliseconds since the epoch
 */
public record DeviceEvent(String device, Kind kind, String reason, long atMillis) {

    public enum Kind {
        /** The device joined, or came back after a death. */
        BIRTH,
        /** The device went: its connection was lost or closed, its Last Will arrived, or it fell silent. */
        DEATH,
        /** The device said hello again while it counted as alive: a new process, its old state gone. */
        RESTART;

        /** The name on the wire: {@code birth}, {@code death}, {@code restart}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
