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
    void aMalformedConfigurationFileIsRefusedWithItsName() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"heartbeatTimeoutMillis\": ");
        Ftpipe r = Ftpipe.run("broker", "--port", "1", "--config", bad.toString(), "--work", dir.toString());
        assertEquals(1, r.exitCode(), r.transcript());
        assertTrue(r.err().contains(bad.toAbsolutePath().toString()), r.transcript());
        assertFalse(r.err().contains("internal error"), r.transcript());
    }
}
