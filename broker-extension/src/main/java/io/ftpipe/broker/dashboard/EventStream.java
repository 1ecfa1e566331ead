package io.ftpipe.broker.dashboard;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/events}: server-sent events, one {@code data:} line with the whole snapshot each
 * time the view renders one (once a second). A stream holds one of the server's threads while it
 * is open, so their number is bounded; the browser's EventSource reconnects by itself.
 */
final class EventStream {
    static final int MAX_STREAMS = 8;
    /** A comment line this often keeps proxies from closing a quiet stream. */
    static final long KEEPALIVE_MILLIS = 15_000;

    private final LiveView view;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closing;

    EventStream(LiveView view) {
        this.view = view;
    }

    void serve(HttpExchange exchange) throws IOException {
        serve(exchange, () -> true);
    }

    /** @param stillAllowed checked before each snapshot: a session that ended stops its stream */
    void serve(HttpExchange exchange, BooleanSupplier stillAllowed) throws IOException {
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            Http.error(exchange, 503, "too many open dashboards (" + MAX_STREAMS + ")");
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            long seen = -1;
            while (!closing && stillAllowed.getAsBoolean()) {
                long now = view.awaitNewer(seen, KEEPALIVE_MILLIS);
                if (now == seen) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    seen = now;
                    out.write("data: ".getBytes(StandardCharsets.US_ASCII));
                    out.write(view.snapshot());
                    out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            }
        } catch (IOException e) {
            // The page went away.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
            exchange.close();
        }
    }

    void close() {
        closing = true;
    }
}
