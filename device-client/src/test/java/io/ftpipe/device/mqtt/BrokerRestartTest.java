package io.ftpipe.device.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ftpipe.device.testsupport.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops and restarts the broker under connected transports. One test method, because every
 * restart costs seconds and the steps depend on each other.
 */
class BrokerRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path brokerDir;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void publishesWaitForTheReconnectAndSubscriptionsSurviveIt() throws Exception {
        try (MqttTransport receiver = MqttTransport.connect(TransportOptions.defaults(broker.url(), "restart-rx"));
             MqttTransport sender = MqttTransport.connect(TransportOptions.defaults(broker.url(), "restart-tx"));
             MqttTransport impatient = MqttTransport.connect(TransportOptions.defaults(broker.url(), "restart-short")
                     .withPublishTimeout(Duration.ofSeconds(1)))) {
            List<String> seen = new CopyOnWriteArrayList<>();
            receiver.subscribe("restart/data", 1, (topic, payload) -> seen.add(new String(payload, UTF_8)));
            sender.publish("restart/data", "before".getBytes(UTF_8), 1, false);
            await().atMost(WAIT).until(() -> seen.contains("before"));

            broker.stop();
            await().atMost(WAIT).until(() -> !sender.isConnected() && !receiver.isConnected());

            TransportException timeout = assertThrows(TransportException.class,
                    () -> impatient.publish("restart/data", new byte[1], 1, false));
            assertTrue(timeout.getMessage().contains("not connected"), timeout.getMessage());

            CompletableFuture<Void> during = CompletableFuture.runAsync(
                    () -> sender.publish("restart/data", "during".getBytes(UTF_8), 1, false));
            TimeUnit.MILLISECONDS.sleep(500);
            assertFalse(during.isDone(), "publish must wait while the broker is down");

            broker.startAgain();
            during.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> receiver.stats().reconnects() >= 1);
            // "during" may have been published before the receiver's subscription was renewed.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                sender.publish("restart/data", "after".getBytes(UTF_8), 1, false);
                return seen.contains("after");
            });
            assertEquals("before", seen.get(0));
            assertTrue(sender.stats().publishWaits() >= 1);
        }
    }

    /**
     * Paho's reconnect timer ("MQTT Reconnect: id") is a non-daemon thread that outlives a plain
     * close while the broker is away, keeping the JVM alive; the transport's close must end it.
     */
    @Test
    void closingWhileReconnectingLeavesNoReconnectThread() throws Exception {
        MqttTransport lonely = MqttTransport.connect(TransportOptions.defaults(broker.url(), "restart-lonely"));
        broker.stop();
        try {
            await().atMost(WAIT).until(() -> !lonely.isConnected());
            TimeUnit.MILLISECONDS.sleep(1500);
            lonely.close();
            await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().contains("restart-lonely") && t.isAlive()));
        } finally {
            broker.startAgain();
        }
    }
}
