package io.ftpipe.broker.embedded;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** Paho v5 clients for broker tests (docs/design.md: memory persistence, not Paho's disk default). */
final class MqttClients {

    private MqttClients() {
    }

    static MqttClient connect(String serverUri, String clientId) throws MqttException {
        MqttClient client = new MqttClient(serverUri, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    /**
     * Paho v5 1.2.5's {@code subscribe(String, int, IMqttMessageListener)} calls itself forever
     * (StackOverflowError); the array form works.
     */
    static void subscribe(MqttClient client, String topic, int qos, IMqttMessageListener listener)
            throws MqttException {
        client.subscribe(new MqttSubscription[]{new MqttSubscription(topic, qos)},
                new IMqttMessageListener[]{listener}).waitForCompletion();
    }

    static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException ignored) {
            // test cleanup
        }
    }
}
