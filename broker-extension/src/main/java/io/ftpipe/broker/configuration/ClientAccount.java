package io.ftpipe.broker.configuration;

import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.broker.security.PreSharedKey;

import java.util.Objects;
import java.util.Optional;

/**
 * A management or monitoring client (an operator's tool, a dashboard) that may connect when
 * security is on.
 *
 * @param psk the key of its DTLS sessions with the CoAP management API (identity = username);
 *            null when it does not use DTLS
 */
public record ClientAccount(String username, Role role, PasswordHash passwordHash, PreSharedKey psk) {
    public ClientAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        // No ':' because the CoAP API and HTTP Basic take credentials as "username:password".
        if (username.isBlank() || username.length() > 256 || username.contains(":")) {
            throw new IllegalArgumentException("must be 1-256 characters without ':', got '" + username + "'");
        }
    }

    /** Without a DTLS key. */
    public ClientAccount(String username, Role role, PasswordHash passwordHash) {
        this(username, role, passwordHash, null);
    }

    public Optional<PreSharedKey> preSharedKey() {
        return Optional.ofNullable(psk);
    }

    @Override
    public String toString() {
        return "ClientAccount[username=" + username + ", role=" + role.json() + (psk == null ? "" : ", psk") + "]";
    }
}
