package io.ftpipe.centralclient.mqtt;

import com.codahale.metrics.Counter;
import io.ftpipe.broker.CentralInbox;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.centralclient.CentralPresence;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.centralclient.mosquitto.MosquittoConf;
import io.ftpipe.centralclient.mosquitto.MosquittoProcess;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The central node's connection against a real Debian mosquitto 2.0. */
class CentralConnectionMosquittoTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private int port;
    private MosquittoProcess broker;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CentralInbox inbox = (sender, topic, payload) -> received.add(sender + " " + topic + " "
            + new String(payload, StandardCharsets.UTF_8));

    @BeforeEach
    void start() throws Exception {
        port = FreePort.find();
        broker = start(MosquittoConf.open(port));
    }

    private MosquittoProcess start(MosquittoConf conf) throws Exception {
        return MosquittoProcess.start(dir.resolve("mosquitto"), conf);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        broker.close();
    }

    private CentralConnection connection(String clientId) {
        CentralConnection c = CentralConnection.create(new BrokerConnection(broker.url(), clientId, null, null, null,
                null, null, null, 600, 10, 10));
        open.add(c);
        return c;
    }

    private MqttClient raw(String id) throws Exception {
        MqttClient c = new MqttClient(broker.url(), id, new MemoryPersistence());
        c.connect();
        open.add(() -> {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        });
        return c;
    }

    /**
     * A plain client subscribed to {@code filters}, handing {@code onMessage} each delivery's topic
     * and payload as text. One callback for the client and one SUBSCRIBE for all filters: Paho
     * 1.2.5's subscribe overloads that take a listener call themselves until the stack overflows.
     */
    private MqttClient subscribed(String id, BiConsumer<String, String> onMessage, String... filters) throws Exception {
        MqttClient c = new MqttClient(broker.url(), id, new MemoryPersistence());
        c.setCallback((OnMessage) (topic, message) ->
                onMessage.accept(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
        c.connect();
        open.add(() -> {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        });
        c.subscribe(Arrays.stream(filters).map(f -> new MqttSubscription(f, 1)).toArray(MqttSubscription[]::new));
        return c;
    }

    @Test
    void publishesWaitUnderTheBrokersReceiveMaximumAndAllArrive() throws Exception {
        broker.close();
        broker = start(MosquittoConf.open(port).withExtra(List.of("max_inflight_messages 4")));
        Map<String, Boolean> arrived = new ConcurrentHashMap<>();
        subscribed("subscriber", (t, payload) -> arrived.put(payload, true), "test/#");
        CentralConnection c = connection("central");
        c.connect(inbox, 1 << 20, new Counter());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.execute(() -> {
                for (int i = 0; i < 100; i++) {
                    sent.add(c.publish("test/" + thread, (thread + "-" + i).getBytes(StandardCharsets.UTF_8), 1, false));
                }
            });
        }
        threads.shutdown();
        assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertEquals(4, c.stats().receiveMaximum(), "mosquitto's max_inflight_messages is its Receive Maximum");
        assertTrue(c.stats().publishWaits() > 0, "400 publishes from 4 threads must have waited: " + c.stats());
        await().atMost(WAIT).until(() -> arrived.size() == 400);
    }

    @Test
    void theSessionKeepsWhatDevicesSentWhileTheNodeWasAway() throws Exception {
        CentralConnection first = connection("central");
        first.connect(inbox, 1 << 20, new Counter());
        first.close();
        MqttClient device = raw("gw-9");
        device.publish(Topics.device("gw-9", Topics.HELLO), "hi".getBytes(StandardCharsets.UTF_8), 1, false);
        device.publish(Topics.job("tiny", Topics.PROGRESS), "p".getBytes(StandardCharsets.UTF_8), 1, false);
        device.publish(Topics.device("gw-9", Topics.COMMAND), "cmd".getBytes(StandardCharsets.UTF_8), 1, false);
        CentralConnection second = connection("central");
        second.connect(inbox, 1 << 20, new Counter());
        await().atMost(WAIT).until(() -> received.size() == 2);
        assertEquals(List.of("gw-9 ftpipe/v1/devices/gw-9/hello hi",
                "ftpipe/v1/jobs/tiny/progress ftpipe/v1/jobs/tiny/progress p"), received);
        assertTrue(second.stats().sessionPresent(), second.stats().toString());
    }

    @Test
    void itSaysItIsOnlineAndStartedOnceAndStoppedRetained() throws Exception {
        List<String> status = new CopyOnWriteArrayList<>();
        List<String> events = new CopyOnWriteArrayList<>();
        subscribed("watcher", (t, payload) -> (t.equals(CentralPresence.TOPIC) ? status : events).add(payload),
                CentralPresence.TOPIC, Topics.CENTRAL_EVENTS);
        CentralConnection c = connection("central");
        c.connect(inbox, 1 << 20, new Counter());
        await().atMost(WAIT).until(() -> !status.isEmpty() && !events.isEmpty());
        assertTrue(status.get(0).contains("\"state\":\"online\""), status.toString());
        assertTrue(events.get(0).contains("\"event\":\"started\""), events.toString());
        c.close();
        await().atMost(WAIT).until(() -> status.size() == 2);
        assertTrue(status.get(1).contains("\"reason\":\"stopped\""), status.toString());
        List<String> later = new CopyOnWriteArrayList<>();
        subscribed("late", (t, payload) -> later.add(payload), CentralPresence.TOPIC);
        await().atMost(WAIT).until(() -> later.size() == 1);
        assertTrue(later.get(0).contains("offline"), "retained: " + later);
        assertEquals(1, events.size(), "one start announced");
    }

    @Test
    void itConnectsAgainAfterTheBrokerRestartedAndSubscribesAgain() throws Exception {
        CentralConnection c = connection("central");
        c.connect(inbox, 1 << 20, new Counter());
        broker.kill();
        broker = start(MosquittoConf.open(port));
        await().atMost(WAIT).until(() -> c.isConnected() && c.stats().connects() == 2);
        assertTrue(!c.stats().sessionPresent(), "a broker without persistence forgot the session");
        raw("gw-1").publish(Topics.device("gw-1", Topics.HEARTBEAT), "hb".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(WAIT).until(() -> received.contains("gw-1 ftpipe/v1/devices/gw-1/heartbeat hb"));
    }
}
