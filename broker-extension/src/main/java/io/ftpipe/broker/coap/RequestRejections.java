package io.ftpipe.broker.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests the management API refused: each is logged with what was wrong, counted by reason, and
 * answered with an error code and {@code {"error": "..."}}. Thread-safe.
 */
final class RequestRejections {
    static final String UNKNOWN_DEVICE = "unknown_device";
    static final String UNKNOWN_JOB = "unknown_job";
    static final String CONFLICT = "conflict";
    static final String UNSUPPORTED_FORMAT = "unsupported_format";
    static final String UNAUTHORIZED = "unauthorized";
    static final String FORBIDDEN = "forbidden";

    private static final Logger LOG = LoggerFactory.getLogger(RequestRejections.class);

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    void reject(CoapExchange exchange, ResponseCode code, String reason, String message) {
        counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        LOG.warn("CoAP {} /{} from {} rejected ({}, {}): {}", exchange.getRequestCode(),
                exchange.getRequestOptions().getUriPathString(), exchange.getSourceSocketAddress(), code, reason,
                message);
        Replies.json(exchange, code, ManagementJson.error(message));
    }

    void reject(CoapExchange exchange, BadRequest bad) {
        reject(exchange, ResponseCode.BAD_REQUEST, bad.reason(), bad.getMessage());
    }

    /** Rejections so far, by reason. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((reason, n) -> out.put(reason, n.get()));
        return out;
    }
}
