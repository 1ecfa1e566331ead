package io.ftpipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCommandTest {

    @TempDir
    Path dir;

    @Test
    void aMissingConfigurationFileIsNamedInOneLineBeforeTheBrokerStarts() {
        Path missing = dir.resolve("nowhere.json");
        Ftpipe r = Ftpipe.run("broker", "--port", "1", "--config", missing.toString(), "--work", dir.toString());
        assertEquals(1, r.exitCode(), r.transcript());
        assertTrue(r.err().contains(missing.toAbsolutePath().toString()), r.transcript());
        assertFalse(r.err().contains("internal error"), r.transcript());
        assertFalse(Files.exists(dir.resolve("conf")), "HiveMQ was not set up");
    }

    @Test
    void missingTrainingDataIsOneLineBeforeTheBrokerStarts() throws Exception {
        Path nowhere = dir.resolve("no-dataset");
        Path config = Files.writeString(dir.resolve("ftpipe-extension.json"), "{\"datasetDir\": \"" + nowhere + "\"}");
        Ftpipe r = Ftpipe.run("broker", "--port", "1", "--config", config.toString(), "--work", dir.toString(),
                "--train", "--model", "mlp");
        assertEquals(1, r.exitCode(), r.transcript());
        assertEquals(1, r.err().strip().lines().count(), r.transcript());
        assertTrue(r.err().contains(nowhere + ": Fashion-MNIST directory not found"), r.transcript());
        assertFalse(Files.exists(dir.resolve("conf")), "HiveMQ was not set up");
    }

    @Test
    void aPortInUseIsOneLineBeforeTheBrokerStarts() throws Exception {
        Path config = Files.writeString(dir.resolve("ftpipe-extension.json"), "{\"coapPort\": 0}");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Ftpipe r = Ftpipe.run("broker", "--port", String.valueOf(taken.getLocalPort()), "--bind", "127.0.0.1",
                    "--config", config.toString(), "--work", dir.toString());
            assertEquals(1, r.exitCode(), r.transcript());
            assertEquals(1, r.err().strip().lines().count(), r.transcript());
            assertTrue(r.err().contains("is another broker running?"), r.transcript());
            assertFalse(Files.exists(dir.resolve("conf")), "HiveMQ was not set up");
        }
    }

    @Test
    void aRelativeDataDirIsTakenUnderTheWorkFolderNotBesideTheFile() throws Exception {
        Path confDir = Files.createDirectories(dir.resolve("source-tree"));
        Path config = Files.writeString(confDir.resolve("ftpipe-extension.json"), "{\"dataDir\": \"data\"}");
        var read = new io.ftpipe.broker.configuration.ExtensionConfigReader().read(config, dir.resolve("work/central"));
        assertEquals(dir.resolve("work/central/data").toAbsolutePath(), read.dataDir());
    }

    @Test
    void aMalformedConfigurationFileIsRefusedWithItsName() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"heartbeatTimeoutMillis\": ");
        Ftpipe r = Ftpipe.run("broker", "--port", "1", "--config", bad.toString(), "--work", dir.toString());
        assertEquals(1, r.exitCode(), r.transcript());
        assertTrue(r.err().contains(bad.toAbsolutePath().toString()), r.transcript());
        assertFalse(r.err().contains("internal error"), r.transcript());
    }
}
