package io.ftpipe.broker.coap;

import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.broker.security.LiveAccounts;
import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.broker.security.PreSharedKey;
import io.ftpipe.broker.JobWatchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management API over DTLS with pre-shared keys, against libcoap's DTLS client (Debian's
 * {@code libcoap3-bin}, {@code coap-client-openssl}): the right key reads and, for an admin,
 * changes things without a password anywhere; a wrong key, an unknown identity and a key that a
 * reload replaced get no answer; plain CoAP off loopback is refused with security on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoapDtlsTest {
    private static final String OPS_KEY = "ops-key-0123456789abcdef";
    private static final String MONITOR_KEY = "grafana-key-0123456789";
    private static final String JOB = "{\"id\": \"over-dtls\", \"model\": \"mlp\", \"devices\": 5, \"synthetic\": 64}";

    @TempDir
    static Path dir;

    private TrainingCentralNode node;
    private CoapManagementServer server;
    private LiveAccounts accounts;
    private String client;

    @BeforeAll
    void start() throws Exception {
        client = Path.of("/usr/bin/coap-client-openssl").toString();
        assertTrue(Files.isExecutable(Path.of(client)),
                "coap-client-openssl is not installed: apt-get install libcoap3-bin");
        ExtensionConfig config = ExtensionConfig.defaults(dir).withCoap(0, "127.0.0.1")
                .withCoaps(FreePort.findUdp(), "127.0.0.1").withSecurity(security(OPS_KEY));
        node = new TrainingCentralNode(config, (topic, payload, qos, retain) -> CompletableFuture.completedFuture(null));
        JobWatchers watchers = new JobWatchers();
        node.watch(watchers);
        accounts = new LiveAccounts(config.security());
        server = CoapManagementServer.start(config, node, accounts, watchers);
    }

    private static SecurityConfig security(String opsKey) {
        return new SecurityConfig(true, List.of(), List.of(
                new ClientAccount("ops", Role.ADMIN, hash("ops-pw"), PreSharedKey.parse(opsKey)),
                new ClientAccount("grafana", Role.MONITOR, hash("mon-pw"), PreSharedKey.parse(MONITOR_KEY)),
                new ClientAccount("nokey", Role.ADMIN, hash("nokey-pw"))));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        node.close();
    }

    private static PasswordHash hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000, new SecureRandom());
    }

    private String coaps(String path) {
        return "coaps://127.0.0.1:" + server.secureAddress().orElseThrow().getPort() + "/" + path;
    }

    /** libcoap's client; {@code -B} bounds a handshake that never completes. */
    private String run(String identity, String key, String... request) throws Exception {
        List<String> command = new ArrayList<>(List.of(client, "-B", "5", "-u", identity, "-k", key));
        command.addAll(List.of(request));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "coap-client-openssl did not finish");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theRightKeyReadsAndAnAdminsKeyChangesThingsWithoutAPassword() throws Exception {
        String devices = run("grafana", MONITOR_KEY, "-m", "get", coaps("devices"));
        assertEquals("[]", devices.strip(), devices);

        String created = run("ops", OPS_KEY, "-m", "post", "-e", JOB, coaps("jobs"));
        assertTrue(created.contains("\"job\":\"over-dtls\""), created);
        String forbidden = run("grafana", MONITOR_KEY, "-m", "delete", coaps("jobs/over-dtls"));
        assertTrue(forbidden.contains("4.03"), "a monitor may not change things: " + forbidden);
        String stopped = run("ops", OPS_KEY, "-m", "delete", coaps("jobs/over-dtls"));
        assertTrue(stopped.contains("stopping"), stopped);
    }

    @Test
    void aWrongKeyAndAnUnknownIdentityGetNoAnswer() throws Exception {
        int before = server.rejections().values().stream().mapToInt(Long::intValue).sum();
        String wrongKey = run("ops", "not-the-key-0123456789", "-m", "get", coaps("devices"));
        assertFalse(wrongKey.contains("["), "a wrong key must not be answered: " + wrongKey);
        String unknown = run("mallory", OPS_KEY, "-m", "get", coaps("devices"));
        assertFalse(unknown.contains("["), "an unknown identity must not be answered: " + unknown);
        String noKey = run("nokey", OPS_KEY, "-m", "get", coaps("devices"));
        assertFalse(noKey.contains("["), "an account without a psk has no DTLS access: " + noKey);
        // Refused in the handshake, before any request reached the API.
        assertEquals(before, server.rejections().values().stream().mapToInt(Long::intValue).sum());
        // The positive control: the same client, with the right key, is answered.
        assertEquals("[]", run("ops", OPS_KEY, "-m", "get", coaps("devices")).strip());
    }

    @Test
    void aReloadedKeyTakesEffectAtTheNextHandshake() throws Exception {
        String newKey = "ops-new-key-fedcba9876543210";
        try {
            accounts.replace(security(newKey));
            assertFalse(run("ops", OPS_KEY, "-m", "get", coaps("devices")).contains("["), "the old key is gone");
            assertEquals("[]", run("ops", newKey, "-m", "get", coaps("devices")).strip());
        } finally {
            accounts.replace(security(OPS_KEY));
        }
    }

    @Test
    void withSecurityOnPlainCoapIsServedOnLoopbackOnly() {
        ExtensionConfig exposed = ExtensionConfig.defaults(dir).withCoap(0, "0.0.0.0").withSecurity(security(OPS_KEY));
        IOException refused = assertThrows(IOException.class, () -> CoapManagementServer.start(exposed, node));
        assertTrue(refused.getMessage().contains("coapBind is 0.0.0.0") && refused.getMessage().contains("coapsPort"),
                refused.getMessage());
    }
}
