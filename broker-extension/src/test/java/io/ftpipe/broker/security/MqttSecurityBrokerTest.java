package io.ftpipe.broker.security;

import io.ftpipe.broker.CentralNode;
import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.central.AssignedStages;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.StageAssignments;
import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.broker.embedded.TlsListener;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security on a real HiveMQ CE with the extension embedded, plus a TLS listener: every denial the
 * access rules make, as MQTT clients see it (Paho v5, and Debian's mosquitto_pub as a client that
 * is not ours). One broker for the class (docs/design.md); each test uses its own client ids.
 *
 * <p>What HiveMQ CE 2025.5 does, as asserted here: a refused CONNECT is a CONNACK with 0x86 (bad
 * user name or password) or 0x85 (client identifier not valid); a refused QoS 1 PUBLISH of an MQTT 5
 * client reaches nobody, is answered with PUBACK 0x87 (not authorized), and then the broker
 * disconnects the client with DISCONNECT 0x87; a refused subscription is a SUBACK with 0x87 and the
 * client stays connected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttSecurityBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEVICE_PW = "gw1-secret";
    private static final String MONITOR_PW = "mon-secret";
    private static final String ADMIN_PW = "ops-secret";
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;

    @TempDir
    static Path work;

    /** The grace period of lost stages ends when the test moves this clock on. */
    private final AtomicLong clock = new AtomicLong();
    private final StageAssignments assignments = new StageAssignments(clock::get, Duration.ofSeconds(1));
    private final AtomicReference<CentralPublisher> publisher = new AtomicReference<>();
    private TestCertificates certificates;
    private EmbeddedBroker broker;
    private int tlsPort;
    /** An admin client that reads every ftpipe topic: what was delivered, in order. */
    private MqttAsyncClient spy;
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startBroker() throws Exception {
        certificates = TestCertificates.create(Files.createDirectories(work.resolve("tls")));
        tlsPort = FreePort.find();
        SecurityConfig security = new SecurityConfig(true,
                List.of(new DeviceAccount("gw-1", hash(DEVICE_PW)), new DeviceAccount("gw-2", hash("gw2-secret"))),
                List.of(new ClientAccount("grafana", Role.MONITOR, hash(MONITOR_PW)),
                        new ClientAccount("ops", Role.ADMIN, hash(ADMIN_PW))));
        ExtensionConfig config = ExtensionConfig.defaults(work).withDataDir(work.resolve("central"))
                .withSecurity(security);
        broker = EmbeddedBroker.builder(work.resolve("broker")).port(FreePort.find())
                .tlsListener(TlsListener.of(tlsPort, certificates.keystore(), certificates.password()))
                .extensionConfig(config)
                .centralNodeFactory((cfg, pub) -> {
                    publisher.set(pub);
                    return new AssigningNode(assignments);
                })
                .build().start();
        spy = connect(broker.serverUri(), "ops-spy", "ops", ADMIN_PW);
        spy.setCallback(new Collector(delivered));
        assertEquals(1, subscribe(spy, "ftpipe/v1/#"), "granted QoS 1");
    }

    @AfterAll
    void stopBroker() throws Exception {
        close(spy);
        broker.close();
    }

    @Test
    void anonymousClientsAreRefused() {
        assertEquals(BAD_USER_NAME_OR_PASSWORD, refusedConnect("gw-1", null, null));
        assertEquals(BAD_USER_NAME_OR_PASSWORD, refusedConnect("gw-1", "gw-1", null));
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() {
        assertEquals(BAD_USER_NAME_OR_PASSWORD, refusedConnect("gw-1", "gw-1", "guess"));
        assertEquals(BAD_USER_NAME_OR_PASSWORD, refusedConnect("gw-9", "gw-9", DEVICE_PW));
    }

    @Test
    void aDeviceMustConnectWithItsOwnIdAndNobodyMayTakeItsId() {
        assertEquals(CLIENT_IDENTIFIER_NOT_VALID, refusedConnect("gw-2", "gw-1", DEVICE_PW));
        assertEquals(CLIENT_IDENTIFIER_NOT_VALID, refusedConnect("gw-1", "grafana", MONITOR_PW));
    }

    @Test
    void aDevicePublishesOnItsOwnTopicsButNotOnAnothersDevice() throws Exception {
        assertRefusedAndDisconnected("gw-1", "gw-1", DEVICE_PW, Topics.device("gw-2", Topics.HEARTBEAT));
        assertRefusedAndDisconnected("gw-1", "gw-1", DEVICE_PW, Topics.device("gw-1", Topics.COMMAND));
        assertRefusedAndDisconnected("gw-1", "gw-1", DEVICE_PW, Topics.job("j0", Topics.STATUS));
        MqttAsyncClient gw1 = connect(broker.serverUri(), "gw-1", "gw-1", DEVICE_PW);
        try {
            publishAndAwait(gw1, Topics.device("gw-1", Topics.HEARTBEAT));
            assertNeverDelivered(Topics.device("gw-2", Topics.HEARTBEAT), Topics.device("gw-1", Topics.COMMAND),
                    Topics.job("j0", Topics.STATUS));
        } finally {
            close(gw1);
        }
    }

    @Test
    void stageTopicsOpenAndCloseWithTheAssignment() throws Exception {
        String next = Topics.stage("j1", 1, Topics.FORWARD);
        String own = Topics.stage("j1", 0, Topics.BACKWARD);
        String replica = Topics.stage("j1", 1, Topics.REPLICA);
        assertRefusedAndDisconnected("gw-1", "gw-1", DEVICE_PW, next);
        MqttAsyncClient gw1 = connect(broker.serverUri(), "gw-1", "gw-1", DEVICE_PW);
        try {
            assertEquals(NOT_AUTHORIZED, subscribe(gw1, own), "not assigned yet");

            assignments.place("j1", layout("gw-1", "gw-2"));
            assertEquals(1, subscribe(gw1, own));
            publishAndAwait(gw1, next);

            assignments.forget("j1");
            assertEquals(NOT_AUTHORIZED, subscribe(gw1, Topics.stage("j1", 0, Topics.FORWARD)), "the job ended");
            publishAndAwait(gw1, replica);
            assertTrue(gw1.isConnected(), "the last messages of a lost stage are let through for a while");
        } finally {
            close(gw1);
        }
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        delivered.clear();
        assertRefusedAndDisconnected("gw-1", "gw-1", DEVICE_PW, replica);
        assertRefusedAndDisconnected("gw-1", "gw-1", DEVICE_PW, Topics.stage("j1", 1, Topics.LABELS));
        MqttAsyncClient again = connect(broker.serverUri(), "gw-1", "gw-1", DEVICE_PW);
        try {
            publishAndAwait(again, Topics.device("gw-1", Topics.REPLY));
            assertNeverDelivered(replica, Topics.stage("j1", 1, Topics.LABELS));
        } finally {
            close(again);
        }
    }

    @Test
    void aDeviceMayNotReadAnotherDevicesCommands() throws Exception {
        MqttAsyncClient gw1 = connect(broker.serverUri(), "gw-1", "gw-1", DEVICE_PW);
        try {
            assertEquals(NOT_AUTHORIZED, subscribe(gw1, Topics.device("gw-2", Topics.COMMAND)));
            assertEquals(NOT_AUTHORIZED, subscribe(gw1, "ftpipe/v1/devices/+/cmd"));
            assertEquals(1, subscribe(gw1, Topics.device("gw-1", Topics.COMMAND)));
        } finally {
            close(gw1);
        }
    }

    @Test
    void aMonitorReadsStatusButMayNotCommand() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        MqttAsyncClient monitor = connect(broker.serverUri(), "grafana-1", "grafana", MONITOR_PW);
        MqttAsyncClient gw2 = connect(broker.serverUri(), "gw-2", "gw-2", "gw2-secret");
        try {
            monitor.setCallback(new Collector(seen));
            assertEquals(1, subscribe(monitor, "ftpipe/v1/jobs/+/status"));
            assertEquals(NOT_AUTHORIZED, subscribe(monitor, "ftpipe/v1/jobs/#"), "tensors are not status");
            publisher.get().publish(Topics.job("jm", Topics.STATUS), "{}".getBytes(StandardCharsets.UTF_8), 1, true)
                    .get(10, TimeUnit.SECONDS);
            assertEquals(Topics.job("jm", Topics.STATUS), seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

            List<String> commands = new CopyOnWriteArrayList<>();
            gw2.setCallback(new Collector(commands));
            assertEquals(1, subscribe(gw2, Topics.device("gw-2", Topics.COMMAND)));
            assertRefusedAndDisconnected("grafana-2", "grafana", MONITOR_PW, Topics.device("gw-2", Topics.COMMAND));
            publishAndAwait(gw2, Topics.device("gw-2", Topics.HELLO));
            assertEquals(List.of(), commands, "the monitor's command reached the device");
        } finally {
            close(monitor);
            close(gw2);
        }
    }

    @Test
    void anAdminReadsButDoesNotPublish() throws Exception {
        assertRefusedAndDisconnected("ops-2", "ops", ADMIN_PW, Topics.device("gw-1", Topics.COMMAND));
        MqttAsyncClient gw1 = connect(broker.serverUri(), "gw-1", "gw-1", DEVICE_PW);
        try {
            publishAndAwait(gw1, Topics.device("gw-1", Topics.HELLO));
            assertNeverDelivered(Topics.device("gw-1", Topics.COMMAND));
        } finally {
            close(gw1);
        }
    }

    @Test
    void tlsConnectsWithTheTruststoreAndThePlainProtocolDoesNotOnTheTlsPort() throws Exception {
        String tls = broker.tlsServerUri().orElseThrow();
        assertEquals("ssl://127.0.0.1:" + tlsPort, tls);
        MqttAsyncClient overTls = connect(tls, "gw-2", "gw-2", "gw2-secret");
        try {
            publishAndAwait(overTls, Topics.device("gw-2", Topics.HELLO));
        } finally {
            close(overTls);
        }
        MqttException plain = assertThrows(MqttException.class,
                () -> connect("tcp://127.0.0.1:" + tlsPort, "gw-2", "gw-2", "gw2-secret"));
        assertNotEquals(0, plain.getReasonCode());
        MqttException untrusted = assertThrows(MqttException.class,
                () -> connect(tls, "gw-2", "gw-2", "gw2-secret", SSLContext.getDefault()));
        assertTrue(String.valueOf(untrusted.getCause()).contains("SSL")
                || String.valueOf(untrusted.getCause()).contains("certification"), String.valueOf(untrusted.getCause()));
    }

    @Test
    void mosquittoPubWithoutCredentialsIsRefused() throws Exception {
        Mosquitto result = mosquittoPub("-i", "intruder", "-t", Topics.device("gw-1", Topics.COMMAND), "-m", "x");
        assertNotEquals(0, result.exitCode(), result.transcript());
        assertTrue(result.output().contains("Connection Refused: bad user name or password"), result.transcript());
        assertNeverDelivered(Topics.device("gw-1", Topics.COMMAND));
    }

    @Test
    void mosquittoPubWithADevicesCredentialsOnAForeignTopicIsRefused() throws Exception {
        String foreign = Topics.device("gw-2", Topics.REPLY);
        Mosquitto result = mosquittoPub("-V", "mqttv5", "-q", "1", "-i", "gw-1", "-u", "gw-1", "-P", DEVICE_PW,
                "-t", foreign, "-m", "forged");
        // mosquitto_pub 2.0.11 reports the PUBACK's reason code but still exits 0: its output is the
        // evidence, and the admin's subscription below shows that nothing was delivered.
        assertTrue(result.output().contains("Publish 1 failed: Not authorized"), result.transcript());
        MqttAsyncClient gw1 = connect(broker.serverUri(), "gw-1", "gw-1", DEVICE_PW);
        try {
            publishAndAwait(gw1, Topics.device("gw-1", Topics.HELLO));
            assertNeverDelivered(foreign);
        } finally {
            close(gw1);
        }
        // The same client on its own topic gets through: the refusal above was the topic, not the client.
        Mosquitto own = mosquittoPub("-V", "mqttv5", "-q", "1", "-i", "gw-1", "-u", "gw-1", "-P", DEVICE_PW,
                "-t", Topics.device("gw-1", Topics.REPLY), "-m", "fine");
        assertEquals(0, own.exitCode(), own.transcript());
        awaitDelivered(Topics.device("gw-1", Topics.REPLY));
    }

    // --- helpers

    private static PasswordHash hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000, new SecureRandom());
    }

    private static JobReport.Term layout(String... devices) {
        List<JobReport.Stage> stages = new ArrayList<>();
        for (int s = 0; s < devices.length; s++) {
            stages.add(new JobReport.Stage(s, devices[s], s, s + 1, 1, 1));
        }
        return new JobReport.Term(1, 0, 0, stages, 1, Map.of(), "test");
    }

    private MqttAsyncClient connect(String uri, String clientId, String username, String password) throws Exception {
        return connect(uri, clientId, username, password, trusting());
    }

    private static MqttAsyncClient connect(String uri, String clientId, String username, String password,
                                           SSLContext tls) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (uri.startsWith("ssl://")) {
            options.setSocketFactory(tls.getSocketFactory());
        }
        try {
            client.connect(options).waitForCompletion(WAIT.toMillis());
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    private SSLContext trusting() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.truststore())) {
            store.load(in, certificates.password().toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * Connects a fresh client, publishes to {@code topic} and checks HiveMQ's answer to a refused
     * publish: PUBACK 0x87, then DISCONNECT 0x87.
     */
    private void assertRefusedAndDisconnected(String clientId, String username, String password, String topic)
            throws Exception {
        MqttAsyncClient client = connect(broker.serverUri(), clientId, username, password);
        CompletableFuture<MqttDisconnectResponse> disconnect = new CompletableFuture<>();
        client.setCallback(new Collector(new ArrayList<>(), disconnect));
        try {
            assertEquals(NOT_AUTHORIZED, publish(client, topic), "PUBACK of " + clientId + " on " + topic);
            MqttDisconnectResponse why = disconnect.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(NOT_AUTHORIZED, why.getReturnCode(), String.valueOf(why));
            assertFalse(client.isConnected());
        } finally {
            close(client);
        }
    }

    /** The CONNACK reason code of a refused connect. */
    private int refusedConnect(String clientId, String username, String password) {
        MqttException e = assertThrows(MqttException.class,
                () -> connect(broker.serverUri(), clientId, username, password));
        return e.getReasonCode();
    }

    /** A QoS 1 publish: the PUBACK's reason code. */
    private static int publish(MqttAsyncClient client, String topic) throws MqttException {
        IMqttToken token = client.publish(topic, new MqttMessage(topic.getBytes(StandardCharsets.UTF_8), 1, false,
                new MqttProperties()));
        token.waitForCompletion(WAIT.toMillis());
        return token.getReasonCodes()[0];
    }

    /** The SUBACK's reason code (the granted QoS when accepted). */
    private static int subscribe(MqttAsyncClient client, String filter) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription(filter, 1));
        token.waitForCompletion(WAIT.toMillis());
        return token.getReasonCodes()[0];
    }

    /**
     * Publishes an allowed marker and waits for it: the broker handles one client's publishes in
     * order, so anything refused before it would have been delivered by now.
     */
    private void publishAndAwait(MqttAsyncClient client, String allowed) throws MqttException {
        assertEquals(0, publish(client, allowed));
        awaitDelivered(allowed);
    }

    private void awaitDelivered(String topic) {
        await().atMost(WAIT).until(() -> delivered.contains(topic));
    }

    private void assertNeverDelivered(String... topics) {
        for (String t : topics) {
            assertFalse(delivered.contains(t), t + " was delivered: " + delivered);
        }
    }

    private static void close(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT.toMillis());
            }
            client.close(true);
        } catch (MqttException ignored) {
            // test cleanup
        }
    }

    private record Mosquitto(int exitCode, String output) {
        String transcript() {
            return "exit " + exitCode + ": " + output;
        }
    }

    /** Debian's mosquitto_pub (package mosquitto-clients) against the plain listener. */
    private Mosquitto mosquittoPub(String... args) throws Exception {
        // Not skipped when missing: CI installs it (.ci/run), and a skipped intruder proves nothing.
        assertTrue(onPath("mosquitto_pub"), "mosquitto_pub is not installed: apt-get install mosquitto-clients");
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mosquitto_pub did not finish");
        return new Mosquitto(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** A central node that only hands out the test's stage assignments. */
    private record AssigningNode(StageAssignments stages) implements CentralNode {
        @Override
        public AssignedStages assignments() {
            return stages;
        }

        @Override
        public void onDeviceMessage(String clientId, String topic, byte[] payload) {
        }

        @Override
        public void onConnect(String clientId) {
        }

        @Override
        public void onDisconnect(String clientId, boolean clientInitiated, String reasonCode) {
        }

        @Override
        public void onConnectionLost(String clientId) {
        }

        @Override
        public void close() {
        }
    }

    /** Adds the topic of every message that arrives, and completes {@code disconnect} when the broker disconnects. */
    private record Collector(java.util.Collection<String> topics, CompletableFuture<MqttDisconnectResponse> disconnect)
            implements MqttCallback {
        Collector(java.util.Collection<String> topics) {
            this(topics, new CompletableFuture<>());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            topics.add(topic);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnect.complete(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
