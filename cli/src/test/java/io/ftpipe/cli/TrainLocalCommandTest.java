package io.ftpipe.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.zoo.export.InferenceExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainLocalCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsOnSyntheticDataAndWritesReportAndModel() throws Exception {
        Path report = dir.resolve("run/report.json");
        Ftpipe r = Ftpipe.run("train-local", "--synthetic", "600", "--epochs", "1", "--model", "mlp",
                "--stages", "2", "--report", report.toString());

        assertEquals(0, r.exitCode(), r.transcript());
        assertTrue(r.out().contains("epoch 1/1"), r.transcript());

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        for (String key : List.of("model", "epochs", "batch_size", "stages", "optimizer", "seed", "test_accuracy",
                "test_loss", "train_loss", "samples_per_second", "seconds", "model_path", "per_epoch", "machine")) {
            assertTrue(json.has(key), "report lacks " + key + ":\n" + json.toPrettyString());
        }
        assertEquals("mlp", json.get("model").asText());
        assertEquals(2, json.get("stages").size());
        assertEquals(0, json.get("stages").get(0).get("units").get(0).asInt());
        assertEquals(3, json.get("stages").get(1).get("units").get(1).asInt(), "the stages cover all 3 units");
        assertEquals("adam", json.get("optimizer").get("kind").asText());
        assertEquals(0.001, json.get("optimizer").get("lr").asDouble());
        assertEquals(1, json.get("per_epoch").size());
        assertTrue(json.get("per_epoch").get(0).has("train_loss"));
        assertTrue(json.get("machine").has("cores"));
        assertTrue(json.get("machine").has("os.arch"));
        assertTrue(json.get("machine").has("java.version"));
        double accuracy = json.get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy is a fraction: " + accuracy);

        Path model = dir.resolve("run/model.onnx");
        assertEquals(model.toAbsolutePath().toString(), json.get("model_path").asText());
        assertTrue(Files.size(model) > 0);
        assertNoTemporaryFilesLeft(dir.resolve("run"));
        assertModelRuns(model);

        byte[] png = Files.readAllBytes(dir.resolve("run/report.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG chart");
    }

    @Test
    void sgdGetsItsOwnDefaultLearningRate() throws Exception {
        Path report = dir.resolve("sgd.json");
        Ftpipe r = Ftpipe.run("train-local", "--synthetic", "100", "--epochs", "1", "--model", "mlp", "--stages", "1",
                "--optimizer", "sgd", "--report", report.toString());

        assertEquals(0, r.exitCode(), r.transcript());
        JsonNode optimizer = new ObjectMapper().readTree(report.toFile()).get("optimizer");
        assertEquals("sgd", optimizer.get("kind").asText());
        assertEquals(0.05, optimizer.get("lr").asDouble());
        assertEquals(0.9, optimizer.get("momentum").asDouble());
    }

    @Test
    void unknownModelNamesTheKnownOnes() {
        Ftpipe r = Ftpipe.run("train-local", "--synthetic", "100", "--model", "resnet152",
                "--report", dir.resolve("x.json").toString());

        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("resnet152"), r.transcript());
        assertTrue(r.err().contains("mlp") && r.err().contains("cnn") && r.err().contains("mobilenetv2"),
                r.transcript());
        assertOneLineWithoutStackTrace(r);
        assertFalse(Files.exists(dir.resolve("x.json")));
    }

    @Test
    void moreStagesThanUnitsIsAClearError() {
        Ftpipe r = Ftpipe.run("train-local", "--synthetic", "100", "--model", "mlp", "--stages", "99",
                "--report", dir.resolve("x.json").toString());

        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("99 stages"), r.transcript());
        assertOneLineWithoutStackTrace(r);
    }

    @Test
    void missingDataIsNamedInOneLine() {
        Ftpipe r = Ftpipe.run("train-local", "--model", "mlp", "--data", dir.resolve("nowhere").toString(),
                "--report", dir.resolve("x.json").toString());

        assertEquals(1, r.exitCode(), r.transcript());
        List<String> lines = r.err().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).endsWith("nowhere: no such file or folder"), r.transcript());
        assertFalse(r.err().contains("\tat "), r.transcript());
    }

    @Test
    void unknownFlagIsAUsageError() {
        Ftpipe r = Ftpipe.run("train-local", "--epoch", "1");

        assertEquals(2, r.exitCode(), r.transcript());
        assertTrue(r.err().contains("--epoch"), r.transcript());
        assertTrue(r.err().contains("did you mean --epochs"), r.transcript());
    }

    @Test
    void badFlagValuesAreUsageErrors() {
        assertEquals(2, Ftpipe.run("train-local", "--epochs", "many").exitCode());
        assertEquals(2, Ftpipe.run("train-local", "--epochs", "0").exitCode());
        assertEquals(2, Ftpipe.run("train-local", "--optimizer", "rmsprop").exitCode());
        assertEquals(2, Ftpipe.run("train-local", "--lr", "-0.1").exitCode());
        assertEquals(2, Ftpipe.run("train-local", "--synthetic", "10", "--data-dir", "/tmp").exitCode());
        Ftpipe r = Ftpipe.run("train-local", "--batch-size", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--batch-size must be at least 1"), r.transcript());
        assertOneLineWithoutStackTrace(r);
    }

    @Test
    void withoutSubcommandItSaysWhichThereAre() {
        Ftpipe r = Ftpipe.run();

        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("train-local") && r.err().contains("bench"), r.transcript());
    }

    static void assertOneLineWithoutStackTrace(Ftpipe r) {
        assertEquals(1, r.err().strip().lines().count(), r.transcript());
        assertFalse(r.err().contains("\tat "), r.transcript());
    }

    private static void assertNoTemporaryFilesLeft(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    /** The exported model loads in ONNX Runtime and gives one probability row per image. */
    private static void assertModelRuns(Path model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.allocate(2 * 28 * 28), new long[]{2, 1, 28, 28});
             OrtSession.Result out = session.run(Map.of(InferenceExporter.INPUT, x))) {
            assertTrue(session.getInputNames().contains(InferenceExporter.INPUT));
            float[][] p = (float[][]) out.get(InferenceExporter.PROBABILITIES).orElseThrow().getValue();
            assertEquals(2, p.length);
            assertEquals(10, p[0].length);
            double sum = 0;
            for (float v : p[0]) {
                sum += v;
            }
            assertEquals(1.0, sum, 1e-4);
        }
    }
}
