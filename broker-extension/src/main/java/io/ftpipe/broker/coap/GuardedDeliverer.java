package io.ftpipe.broker.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Californium's request deliverer with {@link WriteAccess} in front: one check for every
 * resource, present and future, before any of them sees a request. Refusals are answered and
 * counted like every other refusal of the API ({@link RequestRejections}); the credentials are
 * never logged (the log shows the path, not the query).
 */
final class GuardedDeliverer extends ServerMessageDeliverer {
    private final WriteAccess access;
    private final RequestRejections rejections;

    GuardedDeliverer(Resource root, Configuration config, WriteAccess access, RequestRejections rejections) {
        super(root, config);
        this.access = access;
        this.rejections = rejections;
    }

    /** @return true if the request was answered here (refused), false to deliver it as usual */
    @Override
    protected boolean preDeliverRequest(Exchange exchange) {
        Request request = exchange.getRequest();
        WriteAccess.Verdict verdict = access.check(request.getCode(), request.getOptions().getUriQuery());
        switch (verdict) {
            case ALLOWED -> {
                return false;
            }
            case UNAUTHENTICATED -> rejections.reject(new CoapExchange(exchange), ResponseCode.UNAUTHORIZED,
                    RequestRejections.UNAUTHORIZED, "changes need an admin's credentials: add ?"
                            + WriteAccess.QUERY + "=<username>:<password> to the URI");
            case FORBIDDEN -> rejections.reject(new CoapExchange(exchange), ResponseCode.FORBIDDEN,
                    RequestRejections.FORBIDDEN, "only clients with the role admin may change things");
        }
        return true;
    }
}
