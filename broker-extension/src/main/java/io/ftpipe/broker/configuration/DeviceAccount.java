package io.ftpipe.broker.configuration;

import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.protocol.Topics;

import java.util.Objects;

/**
 * A device that may connect when security is on: its MQTT user name and client id are both
 * {@code id}, the name in its topics.
 */
public record DeviceAccount(String id, PasswordHash passwordHash) {
    public DeviceAccount {
        Topics.checkLevel(id);
        Objects.requireNonNull(passwordHash, "passwordHash");
    }

    @Override
    public String toString() {
        return "DeviceAccount[id=" + id + "]";
    }
}
