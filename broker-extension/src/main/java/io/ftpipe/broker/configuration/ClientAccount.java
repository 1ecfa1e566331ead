package io.ftpipe.broker.configuration;

import io.ftpipe.broker.security.PasswordHash;

import java.util.Objects;

/** A management or monitoring client (an operator's tool, a dashboard) that may connect when security is on. */
public record ClientAccount(String username, Role role, PasswordHash passwordHash) {
    public ClientAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (username.isBlank() || username.length() > 256) {
            throw new IllegalArgumentException("username must be 1-256 characters, got '" + username + "'");
        }
    }

    @Override
    public String toString() {
        return "ClientAccount[username=" + username + ", role=" + role.json() + "]";
    }
}
