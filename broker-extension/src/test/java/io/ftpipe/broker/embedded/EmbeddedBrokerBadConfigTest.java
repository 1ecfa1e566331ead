package io.ftpipe.broker.embedded;

import io.ftpipe.broker.LoggingCentralNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HiveMQ only logs a refused extension start; EmbeddedBroker turns it into an exception. */
class EmbeddedBrokerBadConfigTest {

    @TempDir
    Path work;

    @Test
    void badConfigFileStopsTheBrokerWithTheReason() throws Exception {
        Path file = Files.writeString(work.resolve("ftpipe-extension.json"), "{\"evalBatchSize\": -1}");
        AtomicBoolean created = new AtomicBoolean();
        int port = FreePort.find();
        EmbeddedBroker broker = EmbeddedBroker.builder(work)
                .port(port)
                .extensionConfigFile(file)
                .centralNodeFactory((config, publisher) -> {
                    created.set(true);
                    return new LoggingCentralNode();
                })
                .build();

        IllegalStateException e = assertThrows(IllegalStateException.class, broker::start);

        assertTrue(e.getMessage().contains("the ftpipe extension did not start"), e.getMessage());
        assertTrue(e.getMessage().contains("evalBatchSize must be between"), e.getMessage());
        assertFalse(created.get());
        assertFalse(broker.extension().orElseThrow().isRunning());
        // The broker was stopped again: its port is free.
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(socket.isBound());
        }
    }
}
