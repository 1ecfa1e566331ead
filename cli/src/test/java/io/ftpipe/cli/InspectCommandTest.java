package io.ftpipe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsTheUnitsAndTheStartingPlan() {
        Ftpipe r = Ftpipe.run("inspect", "mlp", "--devices", "2", "--batch-size", "16");
        assertEquals(0, r.exitCode(), r.transcript());
        assertTrue(r.out().contains("mlp: input [1, 28, 28], 10 classes, 3 partition units"), r.transcript());
        assertTrue(r.out().contains("Linear(784->512)"), r.transcript());
        assertTrue(r.out().contains("device-0: units [0, ") && r.out().contains("device-1: units ["), r.transcript());
        assertTrue(r.out().contains("predicted"), r.transcript());
    }

    @Test
    void aFileThatIsNoModelIsOneLine() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        Ftpipe r = Ftpipe.run("inspect", junk.toString());
        assertEquals(1, r.exitCode(), r.transcript());
        assertEquals(1, r.err().strip().lines().count(), r.transcript());
        assertTrue(r.err().contains("is not an ONNX model"), r.transcript());
    }
}
