package io.ftpipe.broker.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.ftpipe.broker.json.PublishedJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Small answers of the dashboard's server: JSON, errors as {@code {"error": ...}}, bounded bodies. */
final class Http {
    /** A job request is a few hundred bytes; anything much larger is not one. */
    static final int MAX_BODY = 64 * 1024;
    /** Browsers send it on their own only with a preflight, which this server never grants. */
    static final String CSRF_HEADER = "X-Requested-By";

    private Http() {
    }

    static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", PublishedJson.bytes(body));
    }

    static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, PublishedJson.MAPPER.createObjectNode().put("error", message));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** @return the body, or null after answering 413 for one over {@link #MAX_BODY} */
    static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                error(exchange, 413, "the body is larger than " + MAX_BODY + " bytes");
                return null;
            }
            return body;
        }
    }

    /**
     * A change must come from the page's script, not from a form another site posts with the
     * session cookie: the script sends a header a cross-site form cannot.
     */
    static boolean fromScript(HttpExchange exchange) throws IOException {
        if (exchange.getRequestHeaders().getFirst(CSRF_HEADER) != null) {
            return true;
        }
        error(exchange, 403, "changes need the header " + CSRF_HEADER + " (the dashboard's script sends it)");
        return false;
    }
}
