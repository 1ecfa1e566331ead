package io.ftpipe.device.mqtt;

import io.ftpipe.device.testsupport.EmbeddedBroker;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

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
            try {
                IMqttToken connected = client.connect(ConnectionSettings.of(TransportOptions.defaults(broker.url(),
                        "aliases")), null, null);
                connected.waitForCompletion(30_000);
                Integer allowed = connected.getResponseProperties().getTopicAliasMaximum();
                assertTrue(allowed != null && allowed > 0, "the broker allows topic aliases: " + allowed);
                assertEquals(0, client.connectionState().getOutgoingTopicAliasMaximum());

                broker.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
                broker.startAgain();
                await().atMost(Duration.ofSeconds(30)).until(client::isConnected);
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
