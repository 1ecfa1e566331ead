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

    @Test
    void listeningBeyondLoopbackWithSecurityOffIsRefusedInOneLineWithExitCode2() throws Exception {
        Path config = Files.writeString(dir.resolve("ftpipe-extension.json"), "{\"coapPort\": 0}");
        Ftpipe r = Ftpipe.run("broker", "--port", "1", "--bind", "0.0.0.0", "--config", config.toString(), "--work",
                dir.toString());
        assertEquals(2, r.exitCode(), r.transcript());
        assertEquals(1, r.err().strip().lines().count(), r.transcript());
        assertTrue(r.err().contains("security is off and MQTT on 0.0.0.0:1 is reachable from the network"),
                r.transcript());
        assertTrue(r.err().contains("config/README.md#security") && r.err().contains("--insecure"), r.transcript());
        assertFalse(Files.exists(dir.resolve("conf")), "HiveMQ was not set up");
    }

    @Test
    void aCoapApiOrDashboardBeyondLoopbackIsRefusedTooEvenWithMqttOnLoopback() throws Exception {
        Path config = Files.writeString(dir.resolve("ftpipe-extension.json"),
                "{\"coapBind\": \"0.0.0.0\", \"httpPort\": 8780, \"httpBind\": \"0.0.0.0\"}");
        Ftpipe r = Ftpipe.run("broker", "--port", "1", "--config", config.toString(), "--work", dir.toString());
        assertEquals(2, r.exitCode(), r.transcript());
        assertTrue(r.err().contains("CoAP management API on 0.0.0.0:5683, dashboard on 0.0.0.0:8780 are reachable"),
                r.transcript());
    }

    /** Past the check, the next one (the port is taken) answers: --insecure and security on both pass. */
    @Test
    void insecureOrSecurityOnLetItListenBeyondLoopback() throws Exception {
        Path open = Files.writeString(dir.resolve("open.json"), "{\"coapPort\": 0}");
        String hash = io.ftpipe.broker.security.PasswordHash.create("pw".toCharArray(), 1_000,
                new java.security.SecureRandom()).toString();
        Path secured = Files.writeString(dir.resolve("secured.json"), "{\"coapPort\": 0, \"security\": {\"enabled\": "
                + "true, \"devices\": [{\"id\": \"gw-1\", \"passwordHash\": \"" + hash + "\"}]}}");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("0.0.0.0"))) {
            String port = String.valueOf(taken.getLocalPort());
            Ftpipe insecure = Ftpipe.run("broker", "--port", port, "--bind", "0.0.0.0", "--insecure", "--config",
                    open.toString(), "--work", dir.toString());
            assertTrue(insecure.err().contains("is another broker running?"), insecure.transcript());
            Ftpipe secure = Ftpipe.run("broker", "--port", port, "--config", secured.toString(), "--work",
                    dir.toString());
            assertTrue(secure.err().contains("is another broker running?") && secure.err().contains("0.0.0.0"),
                    "security on listens on all interfaces by default: " + secure.transcript());
        }
    }
}
