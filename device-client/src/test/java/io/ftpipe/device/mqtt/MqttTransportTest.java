package io.ftpipe.device.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ftpipe.device.testsupport.EmbeddedBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport against a real HiveMQ CE broker with its default Receive Maximum of 10. */
class MqttTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path brokerDir;
    private static EmbeddedBroker broker;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private MqttTransport open(TransportOptions options) {
        MqttTransport transport = MqttTransport.connect(options);
        toClose.add(transport);
        return transport;
    }

    private MqttTransport open(String clientId) {
        return open(TransportOptions.defaults(broker.url(), clientId));
    }

    @Test
    void publishSubscribeRoundTripAndHandlersMayPublish() {
        MqttTransport device = open("rt-device");
        MqttTransport central = open("rt-central");
        // The device answers every request from inside its handler: must not deadlock.
        device.subscribe("rt/request", 1, (topic, payload) ->
                device.publish("rt/reply", ("re:" + new String(payload, UTF_8)).getBytes(UTF_8), 1, false));
        List<String> replies = new CopyOnWriteArrayList<>();
        central.subscribe("rt/+", 1, (topic, payload) -> {
            if (topic.equals("rt/reply")) {
                replies.add(new String(payload, UTF_8));
            }
        });

        central.publish("rt/request", "ping".getBytes(UTF_8), 1, false);
        central.publish("rt/request", "pong".getBytes(UTF_8), 0, false);

        await().atMost(WAIT).until(() -> replies.size() == 2);
        assertEquals(List.of("re:ping", "re:pong"), replies);
        assertEquals(2, device.stats().messagesReceived());
        assertEquals(2, device.stats().messagesSent());
        assertEquals(14, device.stats().bytesSent());
    }

    /** The premise of the gate: plain Paho overruns HiveMQ's Receive Maximum of 10. */
    @Test
    void plainPahoFailsWithoutBackPressure() throws Exception {
        MqttAsyncClient raw = new MqttAsyncClient(broker.url(), "raw-paho", new MemoryPersistence());
        raw.connect().waitForCompletion(10_000);
        try {
            MqttException e = assertThrows(MqttException.class, () -> {
                for (int i = 0; i < 200; i++) {
                    raw.publish("raw/flood", new byte[1000], 1, false);
                }
            });
            assertEquals(MqttClientException.REASON_CODE_MAX_INFLIGHT, e.getReasonCode());
        } finally {
            raw.disconnect().waitForCompletion(10_000);
            raw.close();
        }
    }

    @Test
    void twoHundredQos1MessagesArriveCompleteAndInOrder() {
        MqttTransport sender = open("flood-sender");
        MqttTransport receiver = open("flood-receiver");
        List<Integer> seen = new CopyOnWriteArrayList<>();
        receiver.subscribe("flood/data", 1, (topic, payload) -> seen.add(ByteBuffer.wrap(payload).getInt()));

        for (int i = 0; i < 200; i++) {
            sender.publish("flood/data", ByteBuffer.allocate(1000).putInt(0, i).array(), 1, false);
        }

        await().atMost(WAIT).until(() -> seen.size() >= 200);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertEquals(10, sender.serverReceiveMaximum());
        assertTrue(sender.stats().publishWaits() > 0, "the window should have made publishes wait");
        assertEquals(200, sender.stats().messagesSent());
        assertEquals(200_000, receiver.stats().bytesReceived());
    }

    /** Paho counts QoS 0 against the same cap; the reserved slot keeps heartbeats flowing. */
    @Test
    void qos0PublishesSucceedWhileQos1FillsTheWindow() throws Exception {
        MqttTransport sender = open("mixed-sender");
        MqttTransport receiver = open("mixed-receiver");
        AtomicInteger qos1 = new AtomicInteger();
        AtomicInteger qos0 = new AtomicInteger();
        receiver.subscribe("mixed/#", 1, (topic, payload) ->
                (topic.endsWith("data") ? qos1 : qos0).incrementAndGet());

        ExecutorService heartbeat = Executors.newSingleThreadExecutor();
        try {
            Future<?> beats = heartbeat.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    sender.publish("mixed/heartbeat", new byte[16], 0, false);
                }
            });
            for (int i = 0; i < 300; i++) {
                sender.publish("mixed/data", new byte[4000], 1, false);
            }
            beats.get();
        } finally {
            heartbeat.shutdown();
        }

        await().atMost(WAIT).until(() -> qos1.get() == 300);
        assertEquals(600, sender.stats().messagesSent());
    }

    @Test
    void aFailingHandlerDoesNotStopDelivery() {
        MqttTransport sender = open("fail-sender");
        MqttTransport receiver = open("fail-receiver");
        List<String> delivered = new CopyOnWriteArrayList<>();
        receiver.subscribe("fail/topic", 1, (topic, payload) -> {
            String text = new String(payload, UTF_8);
            if (text.startsWith("bad")) {
                throw new IllegalStateException("handler bug on " + text);
            }
            delivered.add(text);
        });

        for (String m : List.of("one", "bad-1", "two", "bad-2", "three")) {
            sender.publish("fail/topic", m.getBytes(UTF_8), 1, false);
        }

        await().atMost(WAIT).until(() -> delivered.size() == 3);
        assertEquals(List.of("one", "two", "three"), delivered);
        assertEquals(2, receiver.stats().handlerFailures());
        assertTrue(receiver.isConnected());
    }

    @Test
    void oversizedPayloadIsRejected() {
        MqttTransport t = open(TransportOptions.defaults(broker.url(), "big-sender").withMaxPayloadBytes(1024));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.publish("big/topic", new byte[1025], 1, false));

        assertTrue(e.getMessage().contains("1025 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("maxPayloadBytes=1024"), e.getMessage());
        t.publish("big/topic", new byte[1024], 1, false);
        assertEquals(1, t.stats().messagesSent());
    }

    @Test
    void connectingToAnAbsentBrokerFailsClearlyAndLeavesNoThreads() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String url = "tcp://127.0.0.1:" + port;

        TransportException e = assertThrows(TransportException.class,
                () -> MqttTransport.connect(TransportOptions.defaults(url, "nobody-home")));

        assertTrue(e.getMessage().startsWith("cannot connect to " + url + " as 'nobody-home'"), e.getMessage());
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().contains("nobody-home") && t.isAlive()));
    }

    @Test
    void sharedSubscriptionsAreRejected() {
        MqttTransport t = open("shared-subscriber");
        assertThrows(IllegalArgumentException.class, () -> t.subscribe("$share/group/a", 1, (topic, p) -> { }));
    }

    @Test
    void unsubscribeStopsDelivery() {
        MqttTransport sender = open("unsub-sender");
        MqttTransport receiver = open("unsub-receiver");
        List<String> seen = new CopyOnWriteArrayList<>();
        receiver.subscribe("unsub/a", 1, (topic, payload) -> seen.add(topic));
        receiver.subscribe("unsub/b", 1, (topic, payload) -> seen.add(topic));

        receiver.unsubscribe("unsub/a");
        sender.publish("unsub/a", new byte[1], 1, false);
        sender.publish("unsub/b", new byte[1], 1, false);

        await().atMost(WAIT).until(() -> seen.contains("unsub/b"));
        assertEquals(List.of("unsub/b"), seen);
    }

    /**
     * A second connection with the same client id makes the broker drop the first one without
     * a clean DISCONNECT: the will goes out, the transport reconnects by itself and renews its
     * subscriptions, and messages flow again.
     */
    @Test
    void reconnectsAfterSessionTakeoverAndResubscribes() throws Exception {
        MqttTransport observer = open("takeover-observer");
        List<String> wills = new CopyOnWriteArrayList<>();
        observer.subscribe("takeover/will", 1, (topic, payload) -> wills.add(new String(payload, UTF_8)));
        MqttTransport device = open(TransportOptions.defaults(broker.url(), "takeover-device")
                .withLastWill(new LastWill("takeover/will", "gone".getBytes(UTF_8), 1, false)));
        List<String> commands = new CopyOnWriteArrayList<>();
        device.subscribe("takeover/cmd", 1, (topic, payload) -> commands.add(new String(payload, UTF_8)));

        MqttAsyncClient intruder = new MqttAsyncClient(broker.url(), "takeover-device", new MemoryPersistence());
        intruder.connect().waitForCompletion(10_000);
        await().atMost(WAIT).until(() -> !device.isConnected() || device.stats().reconnects() > 0);
        intruder.disconnectForcibly(0, 1000, false);
        intruder.close(true);

        await().atMost(WAIT).until(() -> device.isConnected() && device.stats().reconnects() >= 1);
        await().atMost(WAIT).until(() -> wills.contains("gone"));
        // The subscription is renewed asynchronously: keep publishing until one arrives.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            observer.publish("takeover/cmd", "start".getBytes(UTF_8), 1, false);
            return commands.contains("start");
        });
        device.publish("takeover/after", new byte[8], 1, false);
    }

    @Test
    void cleanCloseDoesNotPublishTheWill() throws Exception {
        MqttTransport observer = open("will-observer");
        List<String> wills = new CopyOnWriteArrayList<>();
        observer.subscribe("will/topic", 1, (topic, payload) -> wills.add(new String(payload, UTF_8)));
        MqttTransport device = MqttTransport.connect(TransportOptions.defaults(broker.url(), "will-device")
                .withLastWill(new LastWill("will/topic", "gone".getBytes(UTF_8), 1, false)));

        device.close();
        observer.publish("will/topic", "marker".getBytes(UTF_8), 1, false);

        await().atMost(WAIT).until(() -> wills.contains("marker"));
        assertEquals(List.of("marker"), wills);
        assertThrows(TransportException.class, () -> device.publish("will/topic", new byte[1], 1, false));
    }
}
