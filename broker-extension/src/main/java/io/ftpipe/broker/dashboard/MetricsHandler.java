package io.ftpipe.broker.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ftpipe.broker.metrics.PrometheusText;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET /metrics}: the broker's and the central node's metrics in Prometheus's text format.
 * With security on, a monitor's or an admin's credentials (Prometheus: {@code basic_auth}).
 */
final class MetricsHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);
    private final PrometheusText text;
    private final DashboardAccess access;

    MetricsHandler(PrometheusText text, DashboardAccess access) {
        this.text = text;
        this.access = access;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            Http.error(exchange, 405, "GET only");
            return;
        }
        DashboardAccess.Verdict verdict = access.check(exchange.getRequestHeaders(), DashboardAccess.Need.READ);
        if (!verdict.allowed()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"ftpipe\"");
            Http.error(exchange, verdict.status(), verdict.error());
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            text.write(out);
        } catch (RuntimeException e) {
            LOG.warn("/metrics could not be written", e);
            Http.error(exchange, 500, "the metrics could not be written: " + e);
            return;
        }
        Http.send(exchange, 200, PrometheusText.CONTENT_TYPE, out.toByteArray());
    }
}
