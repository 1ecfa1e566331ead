package io.ftpipe.it;

import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.cli.bench.LoopbackLink;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Issue 25, item 3: a device's MQTT session outlives a dropped connection. A QoS 1 message sent to
 * it while its link is cut is queued by the broker and delivered once it reconnects (here, one it
 * must refuse, so that its heartbeats tell that it arrived). With a clean session it would be lost.
 */
class PersistentSessionIT {
    @TempDir
    static Path work;

    @Test
    void aMessageQueuedWhileTheDeviceIsAwayArrivesWhenItReconnects() throws Exception {
        try (Cluster cluster = new Cluster(work);
             LoopbackLink link = new LoopbackLink("127.0.0.1", cluster.broker.port())) {
            String id = cluster.launchDevices(link.uri(), "session-", 1).get(0);
            DeviceRegistry registry = cluster.central().registry();
            await().atMost(Duration.ofSeconds(60)).until(() -> registry.alive(5000).contains(id)
                    && registry.get(id).map(DeviceRegistry.Device::lastHeartbeat).isPresent());
            long before = rejected(registry, id);

            link.cut();
            await().atMost(Duration.ofSeconds(30)).until(() -> !registry.get(id).orElseThrow().connected());
            MqttClient sender = new MqttClient(cluster.broker.serverUri(), "sender", new MemoryPersistence());
            sender.connect(new MqttConnectionOptions());
            sender.publish(Topics.device(id, Topics.COMMAND), new byte[]{1, 2, 3}, 1, false);
            sender.disconnect();
            sender.close();
            link.up();

            await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(id).orElseThrow().connected()
                    && rejected(registry, id) == before + 1);
        }
    }

    private static long rejected(DeviceRegistry registry, String id) {
        return registry.get(id).map(DeviceRegistry.Device::lastHeartbeat).map(Message.Heartbeat::rejected)
                .orElse(-1L);
    }
}
