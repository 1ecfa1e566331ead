package io.ftpipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BenchComputeCommandTest {

    @TempDir
    Path dir;

    @Test
    void measuresAModelAndWritesTheReport() throws Exception {
        Path report = dir.resolve("bench.json");
        Ftpipe r = Ftpipe.run("bench", "compute", "--models", "mlp", "--iterations", "3", "--warmup", "1",
                "--report", report.toString());

        assertEquals(0, r.exitCode(), r.transcript());
        assertTrue(r.out().contains("mlp"), "the table names the model:\n" + r.transcript());

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(64, json.get("batch_size").asInt());
        assertEquals(3, json.get("iterations").asInt());
        assertEquals(1, json.get("warmup").asInt());
        assertEquals(2, json.get("threads").asInt());
        assertTrue(json.get("machine").has("cores"));
        assertEquals(1, json.get("models").size());
        JsonNode mlp = json.get("models").get(0);
        assertEquals("mlp", mlp.get("model").asText());
        for (String key : List.of("forward_ms", "forward_p90_ms", "train_step_ms", "train_step_p90_ms",
                "exported_forward_ms", "exported_forward_p90_ms", "ratio", "train_samples_per_second",
                "inference_samples_per_second")) {
            assertTrue(mlp.get(key).asDouble() > 0, key + " should be positive:\n" + mlp.toPrettyString());
        }
        assertTrue(mlp.get("forward_p90_ms").asDouble() >= mlp.get("forward_ms").asDouble());
        assertEquals(mlp.get("train_step_ms").asDouble() / mlp.get("forward_ms").asDouble(),
                mlp.get("ratio").asDouble(), 1e-9);
    }

    @Test
    void unknownModelFailsBeforeMeasuring() {
        Ftpipe r = Ftpipe.run("bench", "compute", "--models", "mlp,vgg", "--report", dir.resolve("b.json").toString());

        assertEquals(1, r.exitCode(), r.transcript());
        assertTrue(r.err().contains("known models"), r.transcript());
        TrainLocalCommandTest.assertOneLineWithoutStackTrace(r);
    }

    @Test
    void zeroIterationsIsAUsageError() {
        assertEquals(2, Ftpipe.run("bench", "compute", "--iterations", "0").exitCode());
    }
}
