package io.ftpipe.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.centralclient.mqtt.OnMessage;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows the retained status every job publishes, as any MQTT dashboard would: for watching a
 * central node that runs in another process.
 */
public final class StatusWatcher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One status: {@code seconds} since the job was submitted, micro-batches finished by then, the
     * term and the devices of its stages (empty before the first term).
     */
    public record Status(String job, double seconds, long done, String lastEvent, long term, List<String> devices) {
    }

    private final MqttClient client;

    private StatusWatcher(MqttClient client) {
        this.client = client;
    }

    public static StatusWatcher follow(String brokerUri, String clientId, Consumer<Status> onStatus)
            throws MqttException {
        return follow(brokerUri, clientId, null, null, onStatus);
    }

    /**
     * @param username null: anonymous (a broker with security on wants a monitor's or an admin's
     *                 account; Mosquitto with {@code use_username_as_clientid} also takes it as the client id)
     */
    public static StatusWatcher follow(String brokerUri, String clientId, String username, String password,
                                       Consumer<Status> onStatus) throws MqttException {
        MqttClient client = new MqttClient(brokerUri, clientId, new MemoryPersistence());
        client.setCallback((OnMessage) (topic, message) -> {
            JsonNode s = JSON.readTree(message.getPayload());
            List<String> devices = new ArrayList<>();
            s.path("stages").forEach(stage -> devices.add(stage.path("device").asText()));
            onStatus.accept(new Status(s.path("job").asText(), s.path("seconds").asDouble(),
                    s.path("micro_batches_done").asLong(), s.path("last_event").asText(), s.path("term").asLong(),
                    List.copyOf(devices)));
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        client.connect(options);
        // Paho 1.2.5's subscribe with a per-subscription listener calls itself until the stack overflows.
        client.subscribe(new MqttSubscription[]{new MqttSubscription(Topics.JOBS + "+/" + Topics.STATUS, 1)});
        return new StatusWatcher(client);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(0, 0, false);
        }
        client.close(true);
    }
}
