package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.SecurityConfig;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts of the {@code security} configuration, and the one decision made at connect time:
 * may this client id, user name and password in? Used by the MQTT authenticator and by the CoAP
 * management API. Thread-safe (immutable after construction).
 */
public final class Accounts {

    /** What a connect attempt comes to. */
    public sealed interface Outcome permits Accepted, Refused {
    }

    public record Accepted(Principal principal) implements Outcome {
    }

    /** @param message for the broker's log, never for the client (it could name accounts) */
    public record Refused(Reason reason, String message) implements Outcome {
    }

    public enum Reason {
        /** No user name or no password: anonymous clients are refused. */
        NO_CREDENTIALS,
        /** An unknown user name or a wrong password (the client is not told which). */
        BAD_CREDENTIALS,
        /** A device must use its id as its client id; nobody else may use a device's id. */
        CLIENT_ID
    }

    private record Account(Principal principal, PasswordHash hash, PreSharedKey psk) {
    }

    private final Map<String, Account> byUsername = new HashMap<>();
    private final PasswordHash decoy;

    public Accounts(SecurityConfig config) {
        for (DeviceAccount d : config.devices()) {
            byUsername.put(d.id(), new Account(Principal.device(d.id()), d.passwordHash(), null));
        }
        for (ClientAccount c : config.clients()) {
            byUsername.put(c.username(), new Account(Principal.client(c.username(), c.role()), c.passwordHash(),
                    c.psk()));
        }
        // Checked for unknown user names, so that a wrong name costs as long as a wrong password
        // and the answer's timing does not tell which user names exist.
        int iterations = byUsername.values().stream().mapToInt(a -> a.hash().iterations()).max()
                .orElse(PasswordHash.MIN_ITERATIONS);
        decoy = PasswordHash.create("decoy".toCharArray(), iterations, new SecureRandom());
    }

    /**
     * The connect-time decision.
     *
     * @param password null when the CONNECT carried none
     */
    public Outcome authenticate(String clientId, String username, byte[] password) {
        if (username == null || password == null) {
            return new Refused(Reason.NO_CREDENTIALS, "no user name or password (anonymous clients are refused)");
        }
        Optional<Principal> principal = check(username, password);
        if (principal.isEmpty()) {
            return new Refused(Reason.BAD_CREDENTIALS, "unknown user name or wrong password for '" + username + "'");
        }
        Principal p = principal.get();
        if (p.kind() == Principal.Kind.DEVICE && !p.name().equals(clientId)) {
            // Topics name the device by id and the central node knows a device by its client id:
            // the two must be one, or a device could speak for another.
            return new Refused(Reason.CLIENT_ID, "device '" + username + "' must connect with client id '"
                    + username + "', not '" + clientId + "'");
        }
        if (p.kind() != Principal.Kind.DEVICE && byUsername.containsKey(clientId)
                && byUsername.get(clientId).principal().kind() == Principal.Kind.DEVICE) {
            // A second connection with a device's client id would take the device's session over.
            return new Refused(Reason.CLIENT_ID, "client '" + username + "' may not use device id '" + clientId
                    + "' as its client id");
        }
        return new Accepted(p);
    }

    /**
     * Who {@code username} is, without a password: for clients authenticated otherwise (a DTLS
     * handshake with their pre-shared key, a dashboard session), re-checked at every request so
     * that an account removed by a reload loses access at once.
     */
    public Optional<Principal> named(String username) {
        return Optional.ofNullable(byUsername.get(username)).map(Account::principal);
    }

    /** The stored hash of {@code username}'s password: a session made with an older one is over. */
    public Optional<PasswordHash> passwordHash(String username) {
        return Optional.ofNullable(byUsername.get(username)).map(Account::hash);
    }

    /** The DTLS keys of the clients that have one, by username (their PSK identity). */
    public Map<String, PreSharedKey> preSharedKeys() {
        Map<String, PreSharedKey> keys = new HashMap<>();
        byUsername.forEach((name, a) -> {
            if (a.psk() != null) {
                keys.put(name, a.psk());
            }
        });
        return keys;
    }

    /** The principal whose password this is, if it is; for clients that authenticate outside MQTT (CoAP, HTTP). */
    public Optional<Principal> check(String username, byte[] password) {
        Account account = byUsername.get(username);
        if (account == null) {
            decoy.matches(password);
            return Optional.empty();
        }
        return account.hash().matches(password) ? Optional.of(account.principal()) : Optional.empty();
    }
}
