package io.ftpipe.broker.embedded;

import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.RecordingCentralNode;
import io.ftpipe.broker.RecordingCentralNode.Message;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real HiveMQ CE with the extension embedded, and Paho v5 clients. One broker for the class:
 * start and stop cost seconds (docs/design.md). Each test uses its own client ids and topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Static: with PER_CLASS, JUnit injects an instance @TempDir field only after @BeforeAll. */
    @TempDir
    static Path work;

    private final RecordingCentralNode node = new RecordingCentralNode();
    private final AtomicReference<CentralPublisher> publisher = new AtomicReference<>();
    private final AtomicReference<ExtensionConfig> configSeen = new AtomicReference<>();
    private EmbeddedBroker broker;

    @BeforeAll
    void startBroker() throws Exception {
        ExtensionConfig config = ExtensionConfig.defaults(work).withDataDir(work.resolve("central"));
        broker = EmbeddedBroker.builder(work)
                .port(FreePort.find())
                .extensionConfig(config)
                .centralNodeFactory((cfg, pub) -> {
                    configSeen.set(cfg);
                    publisher.set(pub);
                    return node;
                })
                .build()
                .start();
    }

    @AfterAll
    void stopBroker() throws Exception {
        broker.close();
        assertTrue(node.closed.get(), "extensionStop closes the central node");
    }

    @Test
    void extensionGotItsConfigAndCreatedTheDataDir() {
        assertEquals(work.resolve("central"), configSeen.get().dataDir());
        assertTrue(Files.isDirectory(work.resolve("central")));
        assertTrue(broker.extension().orElseThrow().isRunning());
        assertTrue(Files.isRegularFile(work.resolve("conf/config.xml")));
    }

    @Test
    void devicePublishReachesTheInboxWithClientIdAndBytes() throws Exception {
        byte[] payload = {0, 1, 2, (byte) 0xff, 42};
        String topic = Topics.device("d1", Topics.HELLO);
        MqttClient device = MqttClients.connect(broker.serverUri(), "d1");
        try {
            device.publish(topic, payload, 1, false);
            await().atMost(WAIT).until(() -> !node.messagesOn(topic).isEmpty());
            Message message = node.messagesOn(topic).get(0);
            assertEquals("d1", message.clientId());
            assertArrayEquals(payload, message.payload());
        } finally {
            MqttClients.closeQuietly(device);
        }
    }

    @Test
    void progressReachesTheInboxAndOtherSubscribersStillGetIt() throws Exception {
        String topic = Topics.job("job1", Topics.PROGRESS);
        BlockingQueue<MqttMessage> seen = new LinkedBlockingQueue<>();
        MqttClient monitor = MqttClients.connect(broker.serverUri(), "monitor-progress");
        MqttClient stage = MqttClients.connect(broker.serverUri(), "stage0-progress");
        try {
            MqttClients.subscribe(monitor, topic, 1, (t, m) -> seen.add(m));
            stage.publish(topic, "done 7".getBytes(StandardCharsets.UTF_8), 1, false);
            MqttMessage delivered = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(delivered, "the interceptor must let the publish continue");
            assertEquals("done 7", new String(delivered.getPayload(), StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> !node.messagesOn(topic).isEmpty());
            assertEquals("stage0-progress", node.messagesOn(topic).get(0).clientId());
        } finally {
            MqttClients.closeQuietly(monitor);
            MqttClients.closeQuietly(stage);
        }
    }

    @Test
    void otherTopicsDoNotReachTheInbox() throws Exception {
        String stageTopic = Topics.stage("job2", 1, Topics.FORWARD);
        String foreign = "sensors/kitchen/temperature";
        String marker = Topics.device("d-marker", Topics.HEARTBEAT);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        MqttClient watcher = MqttClients.connect(broker.serverUri(), "watcher-other");
        MqttClient client = MqttClients.connect(broker.serverUri(), "d-other");
        try {
            MqttClients.subscribe(watcher, foreign, 1, (t, m) -> seen.add(t));
            client.publish(stageTopic, new byte[]{1}, 1, false);
            client.publish(foreign, new byte[]{2}, 1, false);
            // Publishes of one client are handled in order: once the marker arrives, the two
            // before it have been through the interceptor.
            client.publish(marker, new byte[]{3}, 1, false);
            await().atMost(WAIT).until(() -> !node.messagesOn(marker).isEmpty());
            assertEquals(foreign, seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "foreign topics still work");
            assertEquals(List.of(), node.messagesOn(stageTopic));
            assertEquals(List.of(), node.messagesOn(foreign));
        } finally {
            MqttClients.closeQuietly(watcher);
            MqttClients.closeQuietly(client);
        }
    }

    @Test
    void connectAndDisconnectReachThePresenceHandler() throws Exception {
        MqttClient device = MqttClients.connect(broker.serverUri(), "d-clean");
        await().atMost(WAIT).until(() -> node.presence.contains("connect:d-clean"));
        device.disconnect();
        device.close();
        await().atMost(WAIT).until(() -> node.presence.contains("disconnect:d-clean:client:NORMAL_DISCONNECTION"));
        assertEquals(List.of("connect:d-clean", "disconnect:d-clean:client:NORMAL_DISCONNECTION"), presenceOf("d-clean"));
    }

    @Test
    void abruptConnectionLossReachesThePresenceHandler() throws Exception {
        MqttClient device = MqttClients.connect(broker.serverUri(), "d-crash");
        await().atMost(WAIT).until(() -> node.presence.contains("connect:d-crash"));
        // Close the socket without a DISCONNECT packet, as a killed process would.
        device.disconnectForcibly(0, 1000, false);
        device.close();
        await().atMost(WAIT).until(() -> node.presence.contains("lost:d-crash"));
        assertEquals(List.of("connect:d-crash", "lost:d-crash"), presenceOf("d-crash"));
    }

    @Test
    void sessionTakeoverIsABrokerInitiatedDisconnect() throws Exception {
        MqttClient first = MqttClients.connect(broker.serverUri(), "d-twice");
        MqttClient second = null;
        try {
            await().atMost(WAIT).until(() -> node.presence.contains("connect:d-twice"));
            second = MqttClients.connect(broker.serverUri(), "d-twice");
            await().atMost(WAIT).until(() -> node.presence.contains("disconnect:d-twice:server:SESSION_TAKEN_OVER"));
            await().atMost(WAIT).until(() -> presenceOf("d-twice").stream().filter(e -> e.startsWith("connect")).count() == 2);
        } finally {
            MqttClients.closeQuietly(first);
            if (second != null) {
                MqttClients.closeQuietly(second);
            }
        }
    }

    @Test
    void centralPublisherReachesSubscribersAndNotTheInbox() throws Exception {
        String topic = Topics.device("d-cmd", Topics.COMMAND);
        BlockingQueue<MqttMessage> seen = new LinkedBlockingQueue<>();
        MqttClient device = MqttClients.connect(broker.serverUri(), "d-cmd");
        try {
            MqttClients.subscribe(device, topic, 1, (t, m) -> seen.add(m));
            publisher.get().publish(topic, new byte[]{7, 7, 7}, 1, false).get(10, TimeUnit.SECONDS);
            MqttMessage message = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(message, "the device did not receive the central node's command");
            assertArrayEquals(new byte[]{7, 7, 7}, message.getPayload());
            assertEquals(1, message.getQos());
            // Extension publishes bypass inbound interceptors (docs/design.md): no echo into the inbox.
            assertEquals(List.of(), node.messagesOn(topic));
        } finally {
            MqttClients.closeQuietly(device);
        }
    }

    @Test
    void retainedCentralPublishReachesLateSubscribers() throws Exception {
        String topic = Topics.job("job3", Topics.STATUS);
        publisher.get().publish(topic, "{\"state\":\"running\"}".getBytes(StandardCharsets.UTF_8), 1, true)
                .get(10, TimeUnit.SECONDS);
        BlockingQueue<MqttMessage> seen = new LinkedBlockingQueue<>();
        MqttClient late = MqttClients.connect(broker.serverUri(), "late-status");
        try {
            MqttClients.subscribe(late, topic, 1, (t, m) -> seen.add(m));
            MqttMessage message = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(message);
            assertTrue(message.isRetained());
        } finally {
            MqttClients.closeQuietly(late);
        }
    }

    private List<String> presenceOf(String clientId) {
        return node.presence.stream().filter(e -> e.split(":")[1].equals(clientId)).toList();
    }
}
