package io.ftpipe.broker;

import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.ExtensionConfigReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refusal paths of the extension main, without a broker: they must fail before touching
 * HiveMQ's services. The happy path is covered with a real broker in EmbeddedBrokerTest.
 */
class FtpipeExtensionMainTest {

    @TempDir
    Path home;

    private final AtomicBoolean factoryCalled = new AtomicBoolean();
    private final CentralNodeFactory factory = (config, publisher) -> {
        factoryCalled.set(true);
        return new LoggingCentralNode();
    };

    @Test
    void dropInWithBadConfigRefusesToStartAndNamesTheKey() throws Exception {
        Files.writeString(home.resolve(ExtensionConfigReader.FILE_NAME), "{\"threads\": \"two\"}");
        RecordingOutput output = new RecordingOutput();

        FtpipeExtensionMain main = new FtpipeExtensionMain();
        main.extensionStart(new FakeStartInput(home), output);

        assertNotNull(output.reason, "preventExtensionStartup was not called");
        assertTrue(output.reason.contains("threads must be an integer"), output.reason);
        assertTrue(output.reason.contains(ExtensionConfigReader.FILE_NAME), output.reason);
        assertEquals(Optional.of(output.reason), main.startupFailure());
        assertFalse(main.isRunning());
    }

    @Test
    void embeddedWithBadConfigFileRefusesBeforeCreatingTheNode() throws Exception {
        Path file = Files.writeString(home.resolve("my.json"), "{\"colour\": \"blue\"}");
        RecordingOutput output = new RecordingOutput();

        new FtpipeExtensionMain(file, factory).extensionStart(new FakeStartInput(home), output);

        assertNotNull(output.reason);
        assertTrue(output.reason.contains("unknown key 'colour'"), output.reason);
        assertFalse(factoryCalled.get(), "no central node for a bad configuration");
    }

    @Test
    void unusableDataDirRefusesToStart() throws Exception {
        Path notADir = Files.writeString(home.resolve("file"), "x");
        ExtensionConfig config = ExtensionConfig.defaults(home).withDataDir(notADir.resolve("data"));
        RecordingOutput output = new RecordingOutput();

        new FtpipeExtensionMain(config, factory).extensionStart(new FakeStartInput(home), output);

        assertNotNull(output.reason);
        assertTrue(output.reason.startsWith("dataDir " + notADir.resolve("data")), output.reason);
        assertFalse(factoryCalled.get());
    }

    @Test
    void failingFactoryRefusesToStart() {
        RecordingOutput output = new RecordingOutput();
        FtpipeExtensionMain main = new FtpipeExtensionMain(ExtensionConfig.defaults(home), (config, publisher) -> {
            throw new IllegalStateException("no dataset at " + config.datasetDir());
        });

        main.extensionStart(new FakeStartInput(home), output);

        assertNotNull(output.reason);
        assertTrue(output.reason.contains("no dataset at"), output.reason);
        assertTrue(Files.isDirectory(home.resolve("data")), "dataDir is created before the node");
        assertFalse(main.isRunning());
    }

    @Test
    void aCoapPortInUseRefusesToStartAndSaysHowToFixIt() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            ExtensionConfig config = ExtensionConfig.defaults(home).withCoap(taken.getLocalPort(), "127.0.0.1");
            RecordingOutput output = new RecordingOutput();
            FtpipeExtensionMain main = new FtpipeExtensionMain(config, (cfg, publisher) ->
                    new io.ftpipe.broker.central.TrainingCentralNode(cfg, publisher));

            main.extensionStart(new FakeStartInput(home), output);

            assertNotNull(output.reason);
            assertTrue(output.reason.contains("cannot listen on udp /127.0.0.1:" + taken.getLocalPort()), output.reason);
            assertTrue(output.reason.contains("coapPort"), output.reason);
            assertFalse(main.isRunning());
            assertTrue(main.management().isEmpty());
        }
    }

    private static final class RecordingOutput implements ExtensionStartOutput {
        String reason;

        @Override
        public void preventExtensionStartup(String reason) {
            this.reason = reason;
        }
    }

    private record FakeStartInput(Path home) implements ExtensionStartInput, ExtensionInformation {
        @Override
        public ExtensionInformation getExtensionInformation() {
            return this;
        }

        @Override
        public ServerInformation getServerInformation() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, ExtensionInformation> getEnabledExtensions() {
            return Map.of();
        }

        @Override
        public Optional<String> getPreviousVersion() {
            return Optional.empty();
        }

        @Override
        public String getId() {
            return "ftpipe-extension";
        }

        @Override
        public String getVersion() {
            return "test";
        }

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public Optional<String> getAuthor() {
            return Optional.empty();
        }

        @Override
        public File getExtensionHomeFolder() {
            return home.toFile();
        }
    }
}
