package io.ftpipe.broker.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * Whatever is asked of a job id that names no job: 4.04 saying so (Californium's own 4.04 has no
 * payload, which leaves a client guessing whether the path or the id is wrong).
 */
final class UnknownResource extends CoapResource {
    private final String message;
    private final String reason;
    private final RequestRejections rejections;

    UnknownResource(String name, String reason, String message, RequestRejections rejections) {
        super(name, false);
        this.reason = reason;
        this.message = message;
        this.rejections = rejections;
    }

    @Override
    public Resource getChild(String name) {
        return this; // /jobs/nope/plan is as unknown as /jobs/nope
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        notFound(exchange);
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        notFound(exchange);
    }

    @Override
    public void handlePUT(CoapExchange exchange) {
        notFound(exchange);
    }

    @Override
    public void handleDELETE(CoapExchange exchange) {
        notFound(exchange);
    }

    private void notFound(CoapExchange exchange) {
        rejections.reject(exchange, ResponseCode.NOT_FOUND, reason, message);
    }
}
