package io.ftpipe.broker.security;

import io.ftpipe.broker.CentralNodeFactory;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.embedded.FreePort;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accounts reload when the configuration file changes, in a real broker: a removed device is
 * disconnected at once, a changed password counts from the next connect, and a file that does not
 * pass its checks keeps the accounts in force.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsReloadBrokerTest {
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;

    @TempDir
    static Path work;
    private Path file;
    private EmbeddedBroker broker;

    @BeforeAll
    void start() throws Exception {
        file = work.resolve("ftpipe-extension.json");
        write(config(device("gw-1", "old-pw"), device("gw-2", "gw2-pw")));
        broker = EmbeddedBroker.builder(work.resolve("broker")).port(FreePort.find())
                .extensionConfigFile(file, work.resolve("state"))
                .centralNodeFactory(CentralNodeFactory.LOGGING).build().start();
    }

    @AfterAll
    void stop() throws Exception {
        broker.close();
    }

    private static String device(String id, String password) {
        return "{\"id\": \"" + id + "\", \"passwordHash\": \"" + PasswordHash.create(password.toCharArray(), 1_000,
                new SecureRandom()) + "\"}";
    }

    private static String config(String... devices) {
        return "{\"coapPort\": 0, \"security\": {\"enabled\": true, \"devices\": [" + String.join(", ", devices)
                + "]}}";
    }

    /** As an editor saves: a new file renamed over the old one. */
    private void write(String json) throws Exception {
        Path temp = work.resolve("ftpipe-extension.json.tmp");
        Files.writeString(temp, json, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private MqttClient connect(String id, String password) throws MqttException {
        MqttClient client = new MqttClient(broker.serverUri(), id, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(id);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(10);
        client.connect(options);
        return client;
    }

    private int refused(String id, String password) {
        MqttException e = assertThrows(MqttException.class, () -> connect(id, password).close(true));
        return e.getReasonCode();
    }

    @Test
    @Order(1)
    void aRemovedDeviceIsDisconnectedAndAChangedPasswordCountsFromTheNextConnect() throws Exception {
        MqttClient gw1 = connect("gw-1", "old-pw");
        MqttClient gw2 = connect("gw-2", "gw2-pw");

        write(config(device("gw-1", "new-pw")));

        await().atMost(Duration.ofSeconds(20)).until(() -> !gw2.isConnected());
        assertEquals(BAD_USER_NAME_OR_PASSWORD, refused("gw-2", "gw2-pw"), "gw-2 is no longer an account");
        assertTrue(gw1.isConnected(), "a changed password does not cut the connection made with the old one");
        assertEquals(BAD_USER_NAME_OR_PASSWORD, refused("gw-1", "old-pw"));
        MqttClient again = connect("gw-1", "new-pw");
        again.disconnect();
        again.close();
        gw1.close(true);
        gw2.close(true);
    }

    @Test
    @Order(2)
    void aFileThatDoesNotPassItsChecksKeepsTheAccountsInForce() throws Exception {
        write("{\"security\": {\"enabled\": true, \"devices\": [{\"id\": \"gw-1\", \"passwordHash\": \"plain\"}]}}");
        write("{\"security\": {\"enabled\": true, \"devices\": [ ");
        // The watch settles before it reads: give it time to (not) take the broken files.
        Thread.sleep(2 * ConfigFileWatcher.SETTLE_MILLIS + 1_000);
        MqttClient still = connect("gw-1", "new-pw");
        still.disconnect();
        still.close();
        assertEquals(BAD_USER_NAME_OR_PASSWORD, refused("gw-1", "plain"));
    }
}
