package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

import java.io.IOException;

/**
 * {@code POST /jobs/{id}/stop}, with an optional body {@code {"reason": "..."}}: stops the job (the
 * same as {@code DELETE /jobs/{id}}, for clients that prefer an action to a deletion).
 */
final class JobStopResource extends CoapResource {
    static final String DEFAULT_REASON = "stop requested through the management API";

    private final JobResource job;
    private final RequestRejections rejections;

    JobStopResource(JobResource job, RequestRejections rejections) {
        super("stop");
        this.job = job;
        this.rejections = rejections;
        getAttributes().setTitle("POST to stop the job");
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        if (!Replies.acceptsJsonBody(exchange, rejections)) {
            return;
        }
        try {
            job.stop(exchange, reason(exchange.getRequestPayload()), ResponseCode.CHANGED);
        } catch (BadRequest bad) {
            rejections.reject(exchange, bad);
        }
    }

    /** The body's reason, or {@link #DEFAULT_REASON} for an empty body. */
    static String reason(byte[] body) throws BadRequest {
        if (body == null || body.length == 0) {
            return DEFAULT_REASON;
        }
        JsonNode root;
        try {
            root = ManagementJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body must be empty or {\"reason\": \"...\"}");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("reason")) {
                throw new BadRequest(BadRequest.UNKNOWN_KEY, "unknown key '" + name + "' (known keys: reason)");
            }
        }
        JsonNode reason = root.get("reason");
        if (reason == null) {
            return DEFAULT_REASON;
        }
        if (!reason.isTextual() || reason.asText().isBlank()) {
            throw new BadRequest(BadRequest.BAD_VALUE, "reason must be a non-empty string, got " + reason);
        }
        return reason.asText();
    }
}
