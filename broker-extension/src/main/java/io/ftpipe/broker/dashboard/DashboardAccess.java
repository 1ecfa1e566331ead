package io.ftpipe.broker.dashboard;

import com.sun.net.httpserver.Headers;
import io.ftpipe.broker.security.LiveAccounts;
import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.broker.security.Principal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who a dashboard request comes from. With security off, everyone is an anonymous admin (as on
 * the CoAP API: the server listens on loopback unless told otherwise). With it on, a management
 * client ({@code monitor} or {@code admin}) logs in once with its password and gets a session
 * cookie, or sends HTTP Basic credentials with every request (Prometheus's {@code basic_auth}).
 * Devices have no business here.
 *
 * <p>A session is checked against the accounts in force at every request: an account a reload
 * removed, or whose password changed since the login, ends its sessions at once.
 */
final class DashboardAccess {
    static final String COOKIE = "ftpipe_session";
    /** A session unused this long is over; the page polls every second, so only a closed tab ages. */
    static final long IDLE_MILLIS = 12L * 60 * 60 * 1000;
    static final Principal ANONYMOUS = new Principal(Principal.Kind.ADMIN, "anonymous");

    enum Need { READ, CHANGE }

    /** The answer to a request: who, or why not. */
    record Verdict(Principal principal, int status, String error) {
        static Verdict allowed(Principal p) {
            return new Verdict(p, 200, null);
        }

        boolean allowed() {
            return principal != null;
        }
    }

    private record Session(String username, PasswordHash hash, long lastUsed) {
    }

    private final LiveAccounts accounts;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    DashboardAccess(LiveAccounts accounts, LongSupplier clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    boolean securityOn() {
        return accounts.enabled();
    }

    /** @return a session token, or empty for wrong credentials or an account that may not use the dashboard */
    Optional<String> login(String username, byte[] password) {
        if (!accounts.enabled() || username == null || password == null) {
            return Optional.empty();
        }
        Optional<Principal> who = accounts.get().check(username, password).filter(DashboardAccess::management);
        if (who.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(username, accounts.get().passwordHash(username).orElseThrow(),
                clock.getAsLong()));
        return Optional.of(token);
    }

    void logout(Headers request) {
        cookie(request).ifPresent(sessions::remove);
    }

    Verdict check(Headers request, Need need) {
        if (!accounts.enabled()) {
            return Verdict.allowed(ANONYMOUS);
        }
        Optional<Principal> who = fromSession(request).or(() -> fromBasic(request));
        if (who.isEmpty()) {
            return new Verdict(null, 401, "log in with a monitor's or an admin's user name and password");
        }
        Principal p = who.get();
        if (!management(p)) {
            return new Verdict(null, 403, "devices may not use the dashboard");
        }
        if (need == Need.CHANGE && p.kind() != Principal.Kind.ADMIN) {
            return new Verdict(null, 403, "only clients with the role admin may change things");
        }
        return Verdict.allowed(p);
    }

    private Optional<Principal> fromSession(Headers request) {
        Optional<String> token = cookie(request);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Session s = sessions.get(token.get());
        long now = clock.getAsLong();
        if (s == null) {
            return Optional.empty();
        }
        boolean current = now - s.lastUsed() < IDLE_MILLIS
                && accounts.get().passwordHash(s.username()).map(s.hash()::equals).orElse(false);
        if (!current) {
            sessions.remove(token.get());
            return Optional.empty();
        }
        sessions.put(token.get(), new Session(s.username(), s.hash(), now));
        return accounts.get().named(s.username());
    }

    /** {@code Authorization: Basic base64(user:password)}: a PBKDF2 check per request. */
    private Optional<Principal> fromBasic(Headers request) {
        String header = request.getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return accounts.get().check(decoded.substring(0, colon),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean management(Principal p) {
        return p.kind() == Principal.Kind.ADMIN || p.kind() == Principal.Kind.MONITOR;
    }

    static Optional<String> cookie(Headers request) {
        for (String header : request.getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return Optional.of(p.substring(COOKIE.length() + 1));
                }
            }
        }
        return Optional.empty();
    }
}
