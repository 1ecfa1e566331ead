package io.ftpipe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo checks what it can before it starts a broker or a device: a mistake is one line. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownModelIsOneLineAndNothingStarts() {
        Ftpipe r = Ftpipe.run("demo", "--model", "nosuchmodel", "--report", dir.resolve("demo.json").toString());
        assertEquals(2, r.exitCode(), r.transcript());
        assertEquals(1, r.err().strip().lines().count(), r.transcript());
        assertTrue(r.err().contains("unknown model 'nosuchmodel'; known models: mlp, cnn, mobilenetv2"), r.transcript());
        assertFalse(Files.exists(dir.resolve("demo-work")), "no broker was set up");
    }

    @Test
    void optionsThatMakeNoJobAreOneLineAndNothingStarts() {
        Ftpipe r = Ftpipe.run("demo", "--model", "mlp", "--schedule", "gpipe", "--batch-size", "10",
                "--micro-batches", "4", "--report", dir.resolve("demo.json").toString());
        assertEquals(2, r.exitCode(), r.transcript());
        assertTrue(r.err().contains("a multiple of the micro-batches"), r.transcript());
        assertFalse(r.err().contains("internal error"), r.transcript());
        assertFalse(Files.exists(dir.resolve("demo-work")), "no broker was set up");
    }
}
