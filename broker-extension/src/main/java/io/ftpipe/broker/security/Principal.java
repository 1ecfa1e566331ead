package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.Role;

import java.util.Objects;
import java.util.Optional;

/**
 * Who an authenticated connection is: a device (by id) or a management client with its role.
 * The authenticator stores it with the connection ({@link #encode()}), and the authorizer reads it
 * back for every publish and subscribe of that connection.
 */
public record Principal(Kind kind, String name) {
    /** The key in HiveMQ's per-connection attribute store. */
    public static final String ATTRIBUTE = "io.ftpipe.principal";

    public enum Kind {
        DEVICE, MONITOR, ADMIN;

        static Kind of(Role role) {
            return role == Role.ADMIN ? ADMIN : MONITOR;
        }
    }

    public Principal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static Principal device(String id) {
        return new Principal(Kind.DEVICE, id);
    }

    public static Principal client(String username, Role role) {
        return new Principal(Kind.of(role), username);
    }

    /** {@code device:gw-1}, {@code admin:ops}. */
    public String encode() {
        return kind.name().toLowerCase() + ":" + name;
    }

    /** The principal {@link #encode()} wrote; empty for anything else. */
    public static Optional<Principal> decode(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        for (Kind k : Kind.values()) {
            if (k.name().toLowerCase().equals(text.substring(0, colon))) {
                return Optional.of(new Principal(k, text.substring(colon + 1)));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return encode();
    }
}
