package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.broker.security.LiveAccounts;
import io.ftpipe.broker.security.PasswordHash;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management API with security on: reads stay open, changes need an admin's credentials in
 * the URI query. A real central node and Californium's client, as in CoapManagementServerTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoapManagementAccessTest {
    private static final String JOB = "{\"id\": \"guarded\", \"model\": \"mlp\", \"devices\": 5, \"synthetic\": 64}";

    @TempDir
    static Path dir;

    private TrainingCentralNode node;
    private CoapManagementServer server;
    private CoapEndpoint clientEndpoint;

    @BeforeAll
    void start() throws Exception {
        SecurityConfig security = new SecurityConfig(true, List.of(new DeviceAccount("gw-1", hash("dev-pw"))),
                List.of(new ClientAccount("ops", Role.ADMIN, hash("ops-pw")),
                        new ClientAccount("grafana", Role.MONITOR, hash("mon-pw"))));
        ExtensionConfig config = ExtensionConfig.defaults(dir).withCoap(0, "127.0.0.1").withSecurity(security);
        node = new TrainingCentralNode(config, (topic, payload, qos, retain) -> CompletableFuture.completedFuture(null));
        server = CoapManagementServer.start(config, node);
        clientEndpoint = CoapEndpoint.builder().setConfiguration(CoapManagementServer.configuration()).build();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        node.close();
        clientEndpoint.destroy();
    }

    private static PasswordHash hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000, new SecureRandom());
    }

    private CoapClient client(String pathAndQuery) {
        CoapClient c = new CoapClient("coap://127.0.0.1:" + server.address().getPort() + "/" + pathAndQuery);
        c.setEndpoint(clientEndpoint);
        c.setTimeout(10_000L);
        return c;
    }

    private static JsonNode json(CoapResponse r) throws Exception {
        return ManagementJson.MAPPER.readTree(r.getPayload());
    }

    @Test
    void aWriteWithoutCredentialsIsRefusedWith401AndChangesNothing() throws Exception {
        CoapResponse r = client("jobs").post(JOB, MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.UNAUTHORIZED, r.getCode());
        assertTrue(json(r).get("error").asText().contains("?auth=<username>:<password>"), r.getResponseText());
        assertEquals(ResponseCode.UNAUTHORIZED, client("jobs?auth=ops:wrong").post(JOB,
                MediaTypeRegistry.APPLICATION_JSON).getCode());
        assertEquals(ResponseCode.UNAUTHORIZED, client("jobs?auth=nobody:ops-pw").post(JOB,
                MediaTypeRegistry.APPLICATION_JSON).getCode());
        assertEquals(ResponseCode.UNAUTHORIZED, client("jobs?auth=ops").post(JOB,
                MediaTypeRegistry.APPLICATION_JSON).getCode());
        assertEquals(ResponseCode.UNAUTHORIZED, client("jobs/guarded").delete().getCode());
        assertTrue(server.rejections().get(RequestRejections.UNAUTHORIZED) >= 5, server.rejections().toString());
        assertEquals(ResponseCode.NOT_FOUND, client("jobs/guarded?auth=ops:ops-pw").get().getCode(),
                "no job was submitted");
    }

    @Test
    void aMonitorMayReadButNotWriteADeviceNeither() throws Exception {
        assertEquals(ResponseCode.FORBIDDEN, client("jobs?auth=grafana:mon-pw").post(JOB,
                MediaTypeRegistry.APPLICATION_JSON).getCode());
        assertEquals(ResponseCode.FORBIDDEN, client("jobs?auth=gw-1:dev-pw").post(JOB,
                MediaTypeRegistry.APPLICATION_JSON).getCode());
        assertEquals(ResponseCode.CONTENT, client("devices?auth=grafana:mon-pw").get().getCode());
        assertEquals(ResponseCode.UNAUTHORIZED, client("devices").get().getCode(), "reads need credentials too");
        assertEquals(ResponseCode.FORBIDDEN, client("devices?auth=gw-1:dev-pw").get().getCode(), "not a device's");
        assertTrue(server.rejections().get(RequestRejections.FORBIDDEN) >= 3, server.rejections().toString());
    }

    @Test
    void anAdminSubmitsAndStopsAJob() throws Exception {
        CoapResponse created = client("jobs?auth=ops:ops-pw").post(JOB.replace("guarded", "by-admin"),
                MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.CREATED, created.getCode(), created.getResponseText());
        assertEquals(ResponseCode.UNAUTHORIZED, client("jobs/by-admin").delete().getCode());
        CoapResponse deleted = client("jobs/by-admin?auth=ops:ops-pw").delete();
        assertEquals(ResponseCode.DELETED, deleted.getCode(), deleted.getResponseText());
    }

    @Test
    void theDecisionByMethod() {
        InetAddress local = InetAddress.getLoopbackAddress();
        ManagementAccess open = new ManagementAccess(new LiveAccounts(SecurityConfig.OFF));
        assertEquals(ManagementAccess.Verdict.ALLOWED, open.check(Code.POST, List.of(), local, null), "security off");
        ManagementAccess guarded = new ManagementAccess(new LiveAccounts(new SecurityConfig(true,
                List.of(), List.of(new ClientAccount("ops", Role.ADMIN, hash("a:b"))))));
        assertEquals(ManagementAccess.Verdict.UNAUTHENTICATED, guarded.check(Code.GET, List.of(), local, null));
        assertEquals(ManagementAccess.Verdict.ALLOWED, guarded.check(Code.FETCH, List.of("auth=ops:a:b"), local, null));
        assertEquals(ManagementAccess.Verdict.ALLOWED, guarded.check(Code.PUT, List.of("x=1", "auth=ops:a:b"), local,
                null), "the password may hold ':'");
        for (Code write : List.of(Code.POST, Code.PUT, Code.DELETE, Code.PATCH, Code.IPATCH)) {
            assertEquals(ManagementAccess.Verdict.UNAUTHENTICATED, guarded.check(write, List.of(), local, null),
                    write.name());
        }
        assertEquals(ManagementAccess.Verdict.UNAUTHENTICATED, guarded.check(Code.POST, List.of("auth=:a:b"), local,
                null));
    }

    /** Over DTLS the handshake proved who the client is; over plain CoAP, only loopback is answered. */
    @Test
    void aDtlsIdentityNeedsNoQueryAndPlainCoapFromAnotherHostIsRefused() throws Exception {
        LiveAccounts accounts = new LiveAccounts(new SecurityConfig(true, List.of(new DeviceAccount("gw-1",
                hash("d"))), List.of(new ClientAccount("ops", Role.ADMIN, hash("a")),
                new ClientAccount("grafana", Role.MONITOR, hash("m")))));
        ManagementAccess access = new ManagementAccess(accounts);
        // TEST-NET-1 (RFC 5737): an address of another host; nothing is sent anywhere.
        InetAddress remote = InetAddress.getByName("192.0.2.10");
        assertEquals(ManagementAccess.Verdict.ALLOWED, access.check(Code.POST, List.of(), remote, "ops"));
        assertEquals(ManagementAccess.Verdict.ALLOWED, access.check(Code.GET, List.of(), remote, "grafana"));
        assertEquals(ManagementAccess.Verdict.FORBIDDEN, access.check(Code.DELETE, List.of(), remote, "grafana"));
        assertEquals(ManagementAccess.Verdict.FORBIDDEN, access.check(Code.GET, List.of(), remote, "gw-1"));
        assertEquals(ManagementAccess.Verdict.UNAUTHENTICATED, access.check(Code.GET, List.of(), remote, "nobody"));
        assertEquals(ManagementAccess.Verdict.NOT_LOOPBACK, access.check(Code.GET, List.of("auth=ops:a"), remote,
                null), "a password in clear from another host");

        // A reload that removes the account ends its access at the next request.
        accounts.replace(new SecurityConfig(true, List.of(), List.of(new ClientAccount("grafana", Role.MONITOR,
                hash("m")))));
        assertEquals(ManagementAccess.Verdict.UNAUTHENTICATED, access.check(Code.POST, List.of(), remote, "ops"));
    }

    /** libcoap's client puts the credentials in a Uri-Query option, as docs/management.md shows. */
    @Test
    void libcoapsClientWritesWithTheQueryAndIsRefusedWithout() throws Exception {
        String coapClient = java.util.stream.Stream.of("coap-client", "coap-client-notls")
                .flatMap(name -> java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                        .map(d -> Path.of(d, name)))
                .filter(java.nio.file.Files::isExecutable).map(Path::toString).findFirst()
                .orElseThrow(() -> new AssertionError("coap-client is not installed: apt-get install libcoap3-bin"));
        String base = "coap://127.0.0.1:" + server.address().getPort() + "/jobs";
        String body = JOB.replace("guarded", "by-coap-client");

        String refused = run(coapClient, "-m", "post", "-e", body, base);
        assertTrue(refused.contains("4.01"), refused);
        String accepted = run(coapClient, "-m", "post", "-e", body, base + "?auth=ops:ops-pw");
        assertTrue(accepted.contains("\"job\":\"by-coap-client\""), accepted);
        assertEquals(ResponseCode.DELETED, client("jobs/by-coap-client?auth=ops:ops-pw").delete().getCode());
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "coap-client did not finish");
        return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
