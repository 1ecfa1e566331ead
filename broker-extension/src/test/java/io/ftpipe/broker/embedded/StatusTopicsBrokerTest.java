package io.ftpipe.broker.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.broker.mqtt.BrokerMetrics;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status and event topics and the metrics of the real central node in a real HiveMQ, seen by
 * Paho clients: a device is a client that says hello. One broker for the class; each test has its
 * own device ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusTopicsBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private final AtomicReference<TrainingCentralNode> central = new AtomicReference<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private EmbeddedBroker broker;
    private MqttClient monitor;

    @BeforeAll
    void start() throws Exception {
        broker = EmbeddedBroker.builder(work).port(FreePort.find())
                .centralNodeFactory(TrainingCentralNode.factory(central::set)).build().start();
        monitor = MqttClients.connect(broker.serverUri(), "dashboard");
        MqttClients.subscribe(monitor, Topics.DEVICE_EVENTS, 1, (t, m) -> events.add(JSON.readTree(m.getPayload())));
    }

    @AfterAll
    void stop() throws Exception {
        MqttClients.closeQuietly(monitor);
        broker.close();
    }

    /** A client that says hello as device {@code id}. */
    private MqttClient join(String id) throws Exception {
        MqttClient device = MqttClients.connect(broker.serverUri(), id);
        device.publish(Topics.device(id, Topics.HELLO),
                MessageCodec.encode(new Message.Hello(id, 2, 1L << 30, 1, "test", 1 << 20)), 1, false);
        return device;
    }

    /** The next event about {@code device} (events of other tests' devices are skipped). */
    private JsonNode nextEventOf(String device) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.get("device").asText().equals(device)) {
                return e;
            }
        }
        throw new AssertionError("no event of " + device + " within " + WAIT);
    }

    /** The devices view a client subscribing now gets first: the retained one. */
    private JsonNode retainedDevicesView() throws Exception {
        BlockingQueue<JsonNode> seen = new LinkedBlockingQueue<>();
        MqttClient late = MqttClients.connect(broker.serverUri(), "late-" + System.nanoTime());
        try {
            MqttClients.subscribe(late, Topics.DEVICES_STATUS, 1, (t, m) -> {
                if (m.isRetained()) {
                    seen.add(JSON.readTree(m.getPayload()));
                }
            });
            JsonNode view = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(view, "no retained devices view");
            return view;
        } finally {
            MqttClients.closeQuietly(late);
        }
    }

    private static JsonNode deviceIn(JsonNode view, String id) {
        for (JsonNode d : view.get("devices")) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        return null;
    }

    @Test
    void helloIsABirthAndTheRetainedViewShowsTheDeviceAlive() throws Exception {
        MqttClient device = join("gw-hello");
        try {
            JsonNode birth = nextEventOf("gw-hello");
            assertEquals("birth", birth.get("event").asText());
            assertEquals("joined", birth.get("reason").asText());
            assertTrue(birth.get("at").asLong() > 0);

            JsonNode me = deviceIn(retainedDevicesView(), "gw-hello");
            assertNotNull(me, "the retained view lists the device");
            assertTrue(me.get("alive").asBoolean());
            assertEquals("idle", me.get("state").asText());

            // In HiveMQ's own registry, where its Prometheus extension finds them.
            assertTrue(BrokerMetrics.ftpipe().get(FtpipeMetrics.deviceEventsName(
                    io.ftpipe.broker.status.DeviceEvent.Kind.BIRTH)).longValue() >= 1, BrokerMetrics.ftpipe().toString());
            assertTrue(BrokerMetrics.registry().getGauges().containsKey(FtpipeMetrics.DEVICES_ALIVE));
        } finally {
            MqttClients.closeQuietly(device);
        }
    }

    @Test
    void aLostConnectionIsADeathAndTheViewShowsTheDeviceOffline() throws Exception {
        MqttClient device = join("gw-crash");
        assertEquals("birth", nextEventOf("gw-crash").get("event").asText());
        // Close the socket without a DISCONNECT packet, as a killed process would.
        device.disconnectForcibly(0, 1000, false);
        device.close();

        JsonNode death = nextEventOf("gw-crash");
        assertEquals("death", death.get("event").asText());
        assertEquals("connection lost", death.get("reason").asText());
        JsonNode me = deviceIn(retainedDevicesView(), "gw-crash");
        assertEquals("offline", me.get("state").asText());
        assertEquals(false, me.get("connected").asBoolean());
    }

    @Test
    void aCleanDisconnectIsADeathTooAndAReconnectABirth() throws Exception {
        MqttClient device = join("gw-clean");
        assertEquals("birth", nextEventOf("gw-clean").get("event").asText());
        device.disconnect();
        device.close();
        JsonNode death = nextEventOf("gw-clean");
        assertEquals(List.of("death", "disconnected by the device (NORMAL_DISCONNECTION)"),
                List.of(death.get("event").asText(), death.get("reason").asText()));

        MqttClient again = join("gw-clean");
        try {
            JsonNode back = nextEventOf("gw-clean");
            assertEquals(List.of("birth", "joined again"), List.of(back.get("event").asText(), back.get("reason").asText()));
        } finally {
            MqttClients.closeQuietly(again);
        }
    }

    @Test
    void dashboardsComingAndGoingAreNoEvents() throws Exception {
        MqttClient other = MqttClients.connect(broker.serverUri(), "another-dashboard");
        other.disconnectForcibly(0, 1000, false);
        other.close();
        MqttClient device = join("gw-marker");
        try {
            // Events are published in order: the marker's birth comes after anything of the dashboard's.
            JsonNode next = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            while (next != null && !next.get("device").asText().equals("gw-marker")) {
                assertNotEquals("another-dashboard", next.get("device").asText(), next.toString());
                next = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertNotNull(next);
        } finally {
            MqttClients.closeQuietly(device);
        }
    }
}
