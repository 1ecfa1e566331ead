package io.ftpipe.broker.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the dashboard, one page of HTML with its script and styles inline (nothing
 * fetched from elsewhere). It holds no data: the page logs in and streams {@code /api/events}.
 */
final class PageHandler implements HttpHandler {
    private final byte[] page;

    PageHandler() {
        try (InputStream in = PageHandler.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the jar");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/") && !path.equals("/index.html")) {
            Http.error(exchange, 404, "no page " + path + " (the dashboard is /)");
            return;
        }
        // The page's own script and styles only; no frames of it elsewhere.
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline';"
                + " style-src 'unsafe-inline'; frame-ancestors 'none'");
        Http.send(exchange, 200, "text/html; charset=utf-8", page);
    }
}
