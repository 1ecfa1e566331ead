package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** Answers with JSON, and checks that a request body is JSON (or untyped, as from a shell). */
final class Replies {
    private Replies() {
    }

    static void json(CoapExchange exchange, ResponseCode code, JsonNode body) {
        exchange.respond(code, ManagementJson.bytes(body), MediaTypeRegistry.APPLICATION_JSON);
    }

    /**
     * True if the body may be read as JSON: typed {@code application/json}, or not typed at all
     * ({@code coap-client -e '{...}'} sends no Content-Format). Otherwise answers 4.15.
     */
    static boolean acceptsJsonBody(CoapExchange exchange, RequestRejections rejections) {
        int format = exchange.getRequestOptions().getContentFormat();
        if (format == MediaTypeRegistry.UNDEFINED || format == MediaTypeRegistry.APPLICATION_JSON) {
            return true;
        }
        rejections.reject(exchange, ResponseCode.UNSUPPORTED_CONTENT_FORMAT, RequestRejections.UNSUPPORTED_FORMAT,
                "the body must be application/json (Content-Format 50), got "
                        + MediaTypeRegistry.toString(format));
        return false;
    }
}
