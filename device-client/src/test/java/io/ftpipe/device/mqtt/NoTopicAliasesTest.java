package io.ftpipe.device.mqtt;

import io.ftpipe.device.testsupport.EmbeddedBroker;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Paho would give QoS 1 publishes topic aliases, and resend an unacknowledged one on a resumed
 * session with the alias alone, which a new connection rejects at every reconnect: the client
 * must use none, on its first connection and after a reconnect, though the broker allows them.
 */
class NoTopicAliasesTest {
    @TempDir
    Path brokerDir;

    @Test
    void theClientUsesNoTopicAliasesThoughTheBrokerAllowsThem() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDir)) {
            AutoReconnectClient client = new AutoReconnectClient(broker.url(), "aliases");
            CompletableFuture<Boolean> reconnected = new CompletableFuture<>();
            client.setCallback(new MqttCallback() {
                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                    if (reconnect) {
                        reconnected.complete(true);
                    }
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            try {
                // Paho completes the token before it calls the listener, and the application
                // publishes only after the listener: wait for that, as the transport does.
                CompletableFuture<IMqttToken> listened = new CompletableFuture<>();
                client.connect(ConnectionSettings.of(TransportOptions.defaults(broker.url(), "aliases")), null,
                        new MqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                listened.complete(token);
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable exception) {
                                listened.completeExceptionally(exception);
                            }
                        });
                IMqttToken connected = listened.get(30, TimeUnit.SECONDS);
                Integer allowed = connected.getResponseProperties().getTopicAliasMaximum();
                assertTrue(allowed != null && allowed > 0, "the broker allows topic aliases: " + allowed);
                assertEquals(0, client.connectionState().getOutgoingTopicAliasMaximum());

                broker.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
                broker.startAgain();
                reconnected.get(30, TimeUnit.SECONDS);
                assertEquals(0, client.connectionState().getOutgoingTopicAliasMaximum(), "after the reconnect too");
            } finally {
                client.stopReconnecting(System.nanoTime());
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
                client.close(true);
            }
        }
    }
}
