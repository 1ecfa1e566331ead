package io.ftpipe.device.testsupport;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real HiveMQ CE broker on a free loopback port, with default limits (Receive Maximum 10).
 * Starting takes seconds: share one per test class. {@link #restart()} keeps the port, so clients
 * can reconnect to the same URL.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Path folder;
    private final int port;
    private EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    /** Starts a broker whose configuration and data live under {@code folder}. */
    public static EmbeddedBroker start(Path folder) {
        EmbeddedBroker broker = new EmbeddedBroker(folder, freePort());
        broker.writeConfig();
        broker.startHiveMq();
        return broker;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the broker, dropping every client connection without DISCONNECT. */
    public void stop() {
        await(hivemq.stop());
        hivemq = null;
    }

    /** Starts a stopped broker again on the same port. */
    public void startAgain() {
        startHiveMq();
    }

    @Override
    public void close() {
        if (hivemq != null) {
            stop();
        }
    }

    private void startHiveMq() {
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(folder.resolve("conf"))
                .withDataFolder(folder.resolve("data"))
                .withExtensionsFolder(folder.resolve("extensions"))
                .build();
        await(hivemq.start());
    }

    private void writeConfig() {
        String xml = """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                    </tcp-listener>
                  </listeners>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port);
        try {
            Files.createDirectories(folder.resolve("conf"));
            // HiveMQ refuses to start without an existing data folder.
            Files.createDirectories(folder.resolve("data"));
            Files.createDirectories(folder.resolve("extensions"));
            Files.writeString(folder.resolve("conf").resolve("config.xml"), xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CompletableFuture<Void> future) {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("embedded HiveMQ did not start/stop", e);
        }
    }
}
