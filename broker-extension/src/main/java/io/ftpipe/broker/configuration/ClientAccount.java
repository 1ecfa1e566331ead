package io.ftpipe.broker.configuration;

import io.ftpipe.broker.security.PasswordHash;

import java.util.Objects;

/** A management or monitoring client (an operator's tool, a dashboard) that may connect when security is on. */
public record ClientAccount(String username, Role role, PasswordHash passwordHash) {
    public ClientAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        // No ':' because the CoAP API takes credentials as "username:password".
        if (username.isBlank() || username.length() > 256 || username.contains(":")) {
            throw new IllegalArgumentException("must be 1-256 characters without ':', got '" + username + "'");
        }
    }

    @Override
    public String toString() {
        return "ClientAccount[username=" + username + ", role=" + role.json() + "]";
    }
}
