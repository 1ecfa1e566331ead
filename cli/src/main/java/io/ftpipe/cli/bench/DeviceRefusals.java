package io.ftpipe.cli.bench;

import io.ftpipe.centralclient.mqtt.OnMessage;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages devices have refused (stale terms, duplicates), as their heartbeats tell anyone
 * subscribed: for a central node in another process.
 */
final class DeviceRefusals implements AutoCloseable {
    private static final int MAX_HEARTBEAT_BYTES = 1 << 20;
    private final MqttClient client;
    private final Map<String, Long> latest = new ConcurrentHashMap<>();

    private DeviceRefusals(MqttClient client) {
        this.client = client;
    }

    static DeviceRefusals follow(String brokerUri, String clientId) throws MqttException {
        MqttClient client = new MqttClient(brokerUri, clientId, new MemoryPersistence());
        DeviceRefusals refusals = new DeviceRefusals(client);
        client.setCallback((OnMessage) (topic, message) -> {
            try {
                if (MessageCodec.decode(message.getPayload(), MAX_HEARTBEAT_BYTES) instanceof Message.Heartbeat h) {
                    refusals.latest.put(h.device(), h.rejected());
                }
            } catch (ProtocolException e) {
                // Not a device's heartbeat: nothing to count.
            }
        });
        client.connect(new MqttConnectionOptions());
        client.subscribe(new MqttSubscription[]{new MqttSubscription(Topics.DEVICES + "+/" + Topics.HEARTBEAT, 0)});
        return refusals;
    }

    /** Summed over the devices' latest heartbeats (a device started again counts from zero). */
    long total() {
        return latest.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(0, 0, false);
        }
        client.close(true);
    }
}
