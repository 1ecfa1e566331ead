package io.ftpipe.broker.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Californium's request deliverer with {@link ManagementAccess} in front: one check for every
 * resource, present and future, before any of them sees a request. Refusals are answered and
 * counted like every other refusal of the API ({@link RequestRejections}); the credentials are
 * never logged (the log shows the path, not the query).
 */
final class GuardedDeliverer extends ServerMessageDeliverer {
    private final ManagementAccess access;
    private final RequestRejections rejections;

    GuardedDeliverer(Resource root, Configuration config, ManagementAccess access, RequestRejections rejections) {
        super(root, config);
        this.access = access;
        this.rejections = rejections;
    }

    /** @return true if the request was answered here (refused), false to deliver it as usual */
    @Override
    protected boolean preDeliverRequest(Exchange exchange) {
        Request request = exchange.getRequest();
        EndpointContext source = request.getSourceContext();
        String identity = source.getPeerIdentity() instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : null;
        ManagementAccess.Verdict verdict = access.check(request.getCode(), request.getOptions().getUriQuery(),
                source.getPeerAddress().getAddress(), identity);
        switch (verdict) {
            case ALLOWED -> {
                return false;
            }
            case UNAUTHENTICATED -> rejections.reject(new CoapExchange(exchange), ResponseCode.UNAUTHORIZED,
                    RequestRejections.UNAUTHORIZED, "the management API needs credentials (a monitor's or an admin's "
                            + "to read, an admin's to change things): add ?" + ManagementAccess.QUERY
                            + "=<username>:<password> to the URI, or use coaps:// with your pre-shared key");
            case NOT_LOOPBACK -> rejections.reject(new CoapExchange(exchange), ResponseCode.FORBIDDEN,
                    RequestRejections.FORBIDDEN, "with security on, plain CoAP is answered on loopback only: "
                            + "use coaps:// with your pre-shared key (docs/management.md)");
            case FORBIDDEN -> rejections.reject(new CoapExchange(exchange), ResponseCode.FORBIDDEN,
                    RequestRejections.FORBIDDEN, ManagementAccess.isRead(request.getCode())
                            ? "only clients with the role monitor or admin may read"
                            : "only clients with the role admin may change things");
        }
        return true;
    }
}
