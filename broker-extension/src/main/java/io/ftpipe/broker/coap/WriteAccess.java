package io.ftpipe.broker.coap;

import io.ftpipe.broker.security.Accounts;
import io.ftpipe.broker.security.Principal;
import org.eclipse.californium.core.coap.CoAP.Code;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Who may change things through the management API when security is on: requests that are not
 * reads (POST, PUT, DELETE, PATCH) must carry an admin's credentials as the URI query
 * {@code auth=<username>:<password>}; reads stay open, like the job status that is retained on
 * MQTT for anyone allowed to subscribe.
 *
 * <p>A URI query rather than DTLS because it needs no new dependency and works with any CoAP
 * client ({@code coap-client-notls ... 'coap://host/jobs?auth=ops:secret'}); the price is that
 * the password crosses the network in clear, which is why {@code coapBind} stays on loopback
 * unless the operator decides otherwise (docs/management.md).
 */
final class WriteAccess {
    static final String QUERY = "auth";

    enum Verdict {
        ALLOWED,
        /** No credentials, or wrong ones: 4.01. */
        UNAUTHENTICATED,
        /** Valid credentials of a client that may not write (a monitor, a device): 4.03. */
        FORBIDDEN
    }

    /** Null when security is off: every request is allowed. */
    private final Accounts accounts;

    WriteAccess(Accounts accounts) {
        this.accounts = accounts;
    }

    static WriteAccess open() {
        return new WriteAccess(null);
    }

    Verdict check(Code method, List<String> uriQuery) {
        if (accounts == null || method == Code.GET || method == Code.FETCH) {
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
        return who.get().kind() == Principal.Kind.ADMIN ? Verdict.ALLOWED : Verdict.FORBIDDEN;
    }
}
