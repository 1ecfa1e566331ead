package io.ftpipe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CentralCommandTest {
    @TempDir
    Path dir;

    /** As {@code ftpipe broker}: the API and dashboard stay on loopback unless secured or told --insecure. */
    @Test
    void aCoapApiOrDashboardBeyondLoopbackWithSecurityOffIsRefusedBeforeConnecting() throws Exception {
        Path config = Files.writeString(dir.resolve("ftpipe-extension.json"),
                "{\"coapBind\": \"0.0.0.0\", \"httpPort\": 8780, \"httpBind\": \"0.0.0.0\"}");
        Ftpipe r = Ftpipe.run("central", "--broker-url", "tcp://127.0.0.1:1", "--config", config.toString(),
                "--work", dir.resolve("work").toString());
        assertEquals(2, r.exitCode(), r.transcript());
        assertEquals(1, r.err().strip().lines().count(), r.transcript());
        assertTrue(r.err().contains("CoAP management API on 0.0.0.0:5683, dashboard on 0.0.0.0:8780 are reachable"),
                r.transcript());
        assertTrue(r.err().contains("--insecure"), r.transcript());
    }
}
