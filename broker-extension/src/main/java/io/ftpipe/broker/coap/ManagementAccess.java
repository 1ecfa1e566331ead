package io.ftpipe.broker.coap;

import io.ftpipe.broker.security.LiveAccounts;
import io.ftpipe.broker.security.Principal;
import org.eclipse.californium.core.coap.CoAP.Code;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the management API when security is on. A {@code monitor} or an {@code admin} may
 * read (GET, FETCH, observe), only an {@code admin} may change things (POST, PUT, DELETE, PATCH);
 * devices have no business here. The same rule as on MQTT, where a monitor reads the status
 * topics and nobody but the central node publishes.
 *
 * <p>Who the client is comes from one of two places. Over DTLS ({@code coaps://}), the handshake
 * proved its pre-shared key, and its identity is the account's user name. Over plain CoAP, which
 * is answered from loopback only, the request carries the credentials as the URI query
 * {@code auth=<username>:<password>} ({@code coap-client-notls ... 'coap://127.0.0.1/jobs?auth=ops:secret'}).
 * The account is looked up at every request, so one a reload removed loses access at once.
 */
final class ManagementAccess {
    static final String QUERY = "auth";

    enum Verdict {
        ALLOWED,
        /** No credentials, or wrong ones, or an account that no longer exists: 4.01. */
        UNAUTHENTICATED,
        /** Valid credentials of a client that may not do this (a device; a monitor changing things): 4.03. */
        FORBIDDEN,
        /** Plain CoAP from another host while security is on: 4.03, it must use DTLS. */
        NOT_LOOPBACK
    }

    private final LiveAccounts accounts;

    ManagementAccess(LiveAccounts accounts) {
        this.accounts = accounts;
    }

    /**
     * @param source      the client's address
     * @param dtlsIdentity the PSK identity the DTLS handshake proved; null over plain CoAP
     */
    Verdict check(Code method, List<String> uriQuery, InetAddress source, String dtlsIdentity) {
        if (!accounts.enabled()) {
            return Verdict.ALLOWED;
        }
        Optional<Principal> who;
        if (dtlsIdentity != null) {
            who = accounts.get().named(dtlsIdentity);
        } else {
            // The query carries a password in clear: only from this machine.
            if (source == null || !source.isLoopbackAddress()) {
                return Verdict.NOT_LOOPBACK;
            }
            who = fromQuery(uriQuery);
        }
        if (who.isEmpty()) {
            return Verdict.UNAUTHENTICATED;
        }
        Principal.Kind kind = who.get().kind();
        boolean allowed = kind == Principal.Kind.ADMIN || (isRead(method) && kind == Principal.Kind.MONITOR);
        return allowed ? Verdict.ALLOWED : Verdict.FORBIDDEN;
    }

    private Optional<Principal> fromQuery(List<String> uriQuery) {
        Optional<String> auth = uriQuery.stream().filter(q -> q.startsWith(QUERY + "=")).map(q -> q.substring(
                QUERY.length() + 1)).findFirst();
        int colon = auth.map(a -> a.indexOf(':')).orElse(-1);
        if (colon <= 0) {
            return Optional.empty();
        }
        String username = auth.get().substring(0, colon);
        byte[] password = auth.get().substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        return accounts.get().check(username, password);
    }

    static boolean isRead(Code method) {
        return method == Code.GET || method == Code.FETCH;
    }
}
