package io.ftpipe.broker.coap;

import io.ftpipe.broker.security.Accounts;
import io.ftpipe.broker.security.Principal;
import org.eclipse.californium.core.coap.CoAP.Code;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the management API when security is on: every request carries a client's
 * credentials as the URI query {@code auth=<username>:<password>}; a {@code monitor} or an
 * {@code admin} may read (GET, FETCH, observe), only an {@code admin} may change things (POST, PUT,
 * DELETE, PATCH). Devices have no business here. The same rule as on MQTT, where a monitor reads
 * the status topics and nobody but the central node publishes.
 *
 * <p>A URI query rather than DTLS because it needs no new dependency and works with any CoAP
 * client ({@code coap-client-notls ... 'coap://host/jobs?auth=ops:secret'}); the price is that
 * the password crosses the network in clear, which is why {@code coapBind} stays on loopback
 * unless the operator decides otherwise (docs/management.md).
 */
final class ManagementAccess {
    static final String QUERY = "auth";

    enum Verdict {
        ALLOWED,
        /** No credentials, or wrong ones: 4.01. */
        UNAUTHENTICATED,
        /** Valid credentials of a client that may not do this (a device; a monitor changing things): 4.03. */
        FORBIDDEN
    }

    /** Null when security is off: every request is allowed. */
    private final Accounts accounts;

    ManagementAccess(Accounts accounts) {
        this.accounts = accounts;
    }

    static ManagementAccess open() {
        return new ManagementAccess(null);
    }

    Verdict check(Code method, List<String> uriQuery) {
        if (accounts == null) {
            return Verdict.ALLOWED;
        }
        Optional<String> auth = uriQuery.stream().filter(q -> q.startsWith(QUERY + "=")).map(q -> q.substring(
                QUERY.length() + 1)).findFirst();
        int colon = auth.map(a -> a.indexOf(':')).orElse(-1);
        if (colon <= 0) {
            return Verdict.UNAUTHENTICATED;
        }
        String username = auth.get().substring(0, colon);
        byte[] password = auth.get().substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        Optional<Principal> who = accounts.check(username, password);
        if (who.isEmpty()) {
            return Verdict.UNAUTHENTICATED;
        }
        Principal.Kind kind = who.get().kind();
        boolean allowed = kind == Principal.Kind.ADMIN || (isRead(method) && kind == Principal.Kind.MONITOR);
        return allowed ? Verdict.ALLOWED : Verdict.FORBIDDEN;
    }

    static boolean isRead(Code method) {
        return method == Code.GET || method == Code.FETCH;
    }
}
