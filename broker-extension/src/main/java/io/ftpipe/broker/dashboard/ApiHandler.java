package io.ftpipe.broker.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ftpipe.broker.json.PublishedJson;
import io.ftpipe.broker.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The dashboard's API under {@code /api/}: who am I ({@code GET session}), log in and out, the
 * current snapshot ({@code GET state}), the stream of snapshots ({@code GET events}, server-sent
 * events) and, for admins, jobs ({@code POST jobs}, {@code POST jobs/{id}/stop}).
 */
final class ApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final DashboardAccess access;
    private final LiveView view;
    private final EventStream stream;
    private final JobControl jobs;

    ApiHandler(DashboardAccess access, LiveView view, EventStream stream, JobControl jobs) {
        this.access = access;
        this.view = view;
        this.stream = stream;
        this.jobs = jobs;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/api/".length());
        String method = exchange.getRequestMethod();
        try {
            if (path.equals("login") && method.equals("POST")) {
                login(exchange);
            } else if (path.equals("logout") && method.equals("POST")) {
                access.logout(exchange.getRequestHeaders());
                exchange.getResponseHeaders().add("Set-Cookie", DashboardAccess.COOKIE + "=; Path=/; Max-Age=0");
                Http.json(exchange, 200, PublishedJson.MAPPER.createObjectNode().put("logged_out", true));
            } else if (path.equals("session") && method.equals("GET")) {
                withAccess(exchange, DashboardAccess.Need.READ, who -> Http.json(exchange, 200, session(who)));
            } else if (path.equals("state") && method.equals("GET")) {
                withAccess(exchange, DashboardAccess.Need.READ,
                        who -> Http.send(exchange, 200, "application/json", view.snapshot()));
            } else if (path.equals("events") && method.equals("GET")) {
                // A session is looked at again before each snapshot (cheap); Basic credentials only once.
                var headers = exchange.getRequestHeaders();
                withAccess(exchange, DashboardAccess.Need.READ, who -> stream.serve(exchange,
                        () -> DashboardAccess.cookie(headers).isEmpty()
                                || access.check(headers, DashboardAccess.Need.READ).allowed()));
            } else if (path.startsWith("jobs") && method.equals("POST")) {
                if (Http.fromScript(exchange)) {
                    withAccess(exchange, DashboardAccess.Need.CHANGE, who -> jobs.handle(exchange, path, who));
                }
            } else {
                Http.error(exchange, 404, "no " + method + " /api/" + path);
            }
        } catch (RuntimeException e) {
            LOG.warn("dashboard request {} /api/{} failed", method, path, e);
            Http.error(exchange, 500, "internal error: " + e);
        }
    }

    private interface Action {
        void run(Principal who) throws IOException;
    }

    private void withAccess(HttpExchange exchange, DashboardAccess.Need need, Action action) throws IOException {
        DashboardAccess.Verdict verdict = access.check(exchange.getRequestHeaders(), need);
        if (!verdict.allowed()) {
            Http.error(exchange, verdict.status(), verdict.error());
            return;
        }
        action.run(verdict.principal());
    }

    private JsonNode session(Principal who) {
        return PublishedJson.MAPPER.createObjectNode().put("user", who.name())
                .put("role", who.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("security", access.securityOn());
    }

    /** {@code {"username": ..., "password": ...}}; a session cookie that scripts cannot read. */
    private void login(HttpExchange exchange) throws IOException {
        if (!Http.fromScript(exchange)) {
            return;
        }
        byte[] body = Http.body(exchange);
        if (body == null) {
            return;
        }
        JsonNode form;
        try {
            form = PublishedJson.MAPPER.readTree(body);
        } catch (IOException e) {
            Http.error(exchange, 400, "the body must be JSON: {\"username\": ..., \"password\": ...}");
            return;
        }
        String username = form != null && form.path("username").isTextual() ? form.get("username").asText() : null;
        byte[] password = form != null && form.path("password").isTextual()
                ? form.get("password").asText().getBytes(StandardCharsets.UTF_8) : null;
        Optional<String> token = access.login(username, password);
        if (token.isEmpty()) {
            LOG.warn("dashboard login as '{}' from {} refused", username, exchange.getRemoteAddress());
            Http.error(exchange, 401, access.securityOn() ? "unknown user name or wrong password"
                    : "security is off: there is nothing to log in to");
            return;
        }
        exchange.getResponseHeaders().add("Set-Cookie", DashboardAccess.COOKIE + "=" + token.get()
                + "; Path=/; HttpOnly; SameSite=Strict");
        LOG.info("dashboard login as '{}' from {}", username, exchange.getRemoteAddress());
        Http.json(exchange, 200, PublishedJson.MAPPER.createObjectNode().put("user", username));
    }
}
