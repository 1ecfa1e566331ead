package io.ftpipe.broker.dashboard;

import com.codahale.metrics.MetricRegistry;
import io.ftpipe.broker.JobWatchers;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.broker.security.LiveAccounts;
import io.ftpipe.broker.security.PasswordHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's server with security on, over HTTP: every denial (no credentials, a wrong
 * password, a device's, a monitor changing things, a change without the script's header, a session
 * whose account a reload removed) and what is allowed (Basic credentials on /metrics, a session).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardServerTest {
    @TempDir
    static Path dir;

    private TrainingCentralNode node;
    private DashboardServer server;
    private LiveAccounts accounts;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        SecurityConfig security = security(new ClientAccount("grafana", Role.MONITOR, hash("mon-pw")));
        ExtensionConfig config = ExtensionConfig.defaults(dir).withCoap(0, "127.0.0.1")
                .withHttp(FreePort.find(), "127.0.0.1").withSecurity(security);
        MetricRegistry registry = new MetricRegistry();
        node = new TrainingCentralNode(config, (topic, payload, qos, retain) -> CompletableFuture.completedFuture(null),
                registry);
        JobWatchers watchers = new JobWatchers();
        node.watch(watchers);
        accounts = new LiveAccounts(security);
        server = DashboardServer.start(config, node, accounts, watchers, registry);
    }

    private static SecurityConfig security(ClientAccount... more) {
        List<ClientAccount> clients = new java.util.ArrayList<>(List.of(new ClientAccount("ops", Role.ADMIN,
                hash("ops-pw"))));
        clients.addAll(List.of(more));
        return new SecurityConfig(true, List.of(new DeviceAccount("gw-1", hash("dev-pw"))), clients);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        node.close();
    }

    private static PasswordHash hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000, new SecureRandom());
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                + path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String login(String user, String password) throws Exception {
        HttpResponse<String> r = send("POST", "/api/login", "{\"username\": \"" + user + "\", \"password\": \""
                + password + "\"}", "X-Requested-By", "test");
        assertEquals(200, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void thePageLoadsButEveryReadNeedsAManagementAccount() throws Exception {
        assertEquals(200, send("GET", "/", null).statusCode());
        assertEquals(401, send("GET", "/api/state", null).statusCode());
        assertEquals(401, send("GET", "/metrics", null).statusCode());
        assertEquals(401, send("GET", "/metrics", null, "Authorization", basic("grafana", "wrong")).statusCode());
        assertEquals(403, send("GET", "/metrics", null, "Authorization", basic("gw-1", "dev-pw")).statusCode(),
                "a device's credentials are not a management client's");
        HttpResponse<String> metrics = send("GET", "/metrics", null, "Authorization", basic("grafana", "mon-pw"));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains(FtpipeMetrics.PREFIX.replace('.', '_') + "samples_total"), metrics.body());
        assertEquals(401, send("POST", "/api/login", "{\"username\": \"ops\", \"password\": \"nope\"}",
                "X-Requested-By", "t").statusCode());
    }

    @Test
    void aMonitorReadsButMayNotChangeAndChangesNeedTheScriptsHeader() throws Exception {
        String monitor = login("grafana", "mon-pw");
        assertEquals(200, send("GET", "/api/state", null, "Cookie", monitor).statusCode());
        assertTrue(send("GET", "/api/session", null, "Cookie", monitor).body().contains("\"role\":\"monitor\""));
        assertEquals(403, send("POST", "/api/jobs", "{}", "Cookie", monitor, "X-Requested-By", "t").statusCode());

        String admin = login("ops", "ops-pw");
        assertEquals(403, send("POST", "/api/jobs", "{}", "Cookie", admin).statusCode(), "no header: a cross-site form");
        HttpResponse<String> bad = send("POST", "/api/jobs", "{\"model\": \"resnet50\"}", "Cookie", admin,
                "X-Requested-By", "t");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("model must be one of"), bad.body());
        assertEquals(409, send("POST", "/api/jobs/nothing/stop", null, "Cookie", admin, "X-Requested-By", "t")
                .statusCode());
    }

    @Test
    void aSessionEndsWhenAReloadRemovesItsAccount() throws Exception {
        accounts.replace(security(new ClientAccount("grafana", Role.MONITOR, hash("mon-pw")),
                new ClientAccount("temp", Role.MONITOR, hash("temp-pw"))));
        String session = login("temp", "temp-pw");
        assertEquals(200, send("GET", "/api/state", null, "Cookie", session).statusCode());
        accounts.replace(security(new ClientAccount("grafana", Role.MONITOR, hash("mon-pw"))));
        assertEquals(401, send("GET", "/api/state", null, "Cookie", session).statusCode());
    }
}
