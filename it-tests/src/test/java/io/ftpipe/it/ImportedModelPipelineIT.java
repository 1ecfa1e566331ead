package io.ftpipe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.UserFiles;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.data.NpyArray;
import io.ftpipe.zoo.data.NpzReader;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own model and data through a three-device pipeline: a CNN for scikit-learn's digits,
 * exported by PyTorch (Debian's python3-torch), trained on the digits from an .npz and, submitted
 * over CoAP, from CSV files; the exported model is the user's own graph (their input and output names), and ONNX
 * Runtime's predictions from it, on inputs normalised as its metadata says, score what the
 * trainer scored.
 */
class ImportedModelPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    @TempDir
    static Path work;
    static Path fixture;
    static Cluster cluster;
    static int coapPort;

    @BeforeAll
    static void start() throws Exception {
        fixture = Files.createDirectories(work.resolve("fixture"));
        Path script = fixture.resolve("digits_fixture.py");
        try (InputStream in = ImportedModelPipelineIT.class.getResourceAsStream("/python/digits_fixture.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), fixture.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "the PyTorch side failed (needs "
                + "python3-torch and python3-sklearn):\n" + out);
        coapPort = FreePort.findUdp();
        cluster = new Cluster(work, coapPort);
        cluster.startDevices("im-", 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static JobReport train(String id, Path data) throws Exception {
        return cluster.run(new JobSpec(id, fixture.resolve("digits-cnn.onnx").toString(), 3,
                Schedule.Names.ONE_F_ONE_B, 32, 1, 3, OptimizerConfig.adam(2e-3, 0), 1, 0, 0, JobSpec.SPEED_BLIND,
                JobSpec.Replication.DEFAULT, new JobSpec.Sources(data.toString(), "auto", false)));
    }

    @Test
    void fromAnNpzTheExportedModelPredictsWhatTheTrainerScored() throws Exception {
        JobReport r = train("digits-npz", fixture.resolve("digits.npz"));
        assertEquals(3, r.stages().size(), "three devices: " + r.stages());
        assertTrue(r.testAccuracy() >= 0.8, "learned: " + r.epochs());
        assertEquals(1437 * 3, r.epochs().stream().mapToLong(JobReport.Epoch::samples).sum(), "every sample once");

        Map<String, NpyArray> npz = NpzReader.read(fixture.resolve("digits.npz"));
        float[] x = npz.get("x_test").floats();
        long[] y = npz.get("y_test").longs();
        double accuracy = ExportedModelRun.accuracy(Path.of(r.modelPath()), "pixels", "scores", new long[]{1, 8, 8},
                x, y);
        assertEquals(r.testAccuracy(), accuracy, 1.5 / y.length, "ONNX Runtime on the exported model against "
                + "the trainer's evaluation");
    }

    /**
     * As an operator runs it: the files put in the central node's models and data sets folders, the
     * job submitted with libcoap's client naming them; a name leading out of a folder is refused.
     */
    @Test
    void overCoapAJobNamesTheModelAndCsvFilesInTheCentralNodesFolders() throws Exception {
        UserFiles files = cluster.central().userFiles();
        Files.createDirectories(files.modelsDir().resolve("digits"));
        Files.copy(fixture.resolve("digits-cnn.onnx"), files.modelsDir().resolve("digits/cnn.onnx"));
        Path csv = Files.createDirectories(files.datasetsDir().resolve("digits-csv"));
        try (Stream<Path> tables = Files.list(fixture.resolve("csv"))) {
            for (Path t : tables.toList()) {
                Files.copy(t, csv.resolve(t.getFileName()));
            }
        }
        LibcoapClient coap = LibcoapClient.onLoopback(coapPort);
        String refused = coap.post("jobs", "{\"model\": \"digits/cnn.onnx\", \"data\": \"../../fixture/digits.npz\"}");
        assertTrue(refused.contains("4.00") && refused.contains("without '..'"), refused);

        String created = coap.post("jobs", "{\"id\": \"digits-csv\", \"model\": \"digits/cnn.onnx\", "
                + "\"data\": \"digits-csv\", \"devices\": 3, \"batch_size\": 32, \"epochs\": 3, \"lr\": 0.002, "
                + "\"planner\": \"speed-blind\"}");
        assertTrue(!created.contains("4."), created);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> Set.of("complete",
                "failed", "stopped").contains(JSON.readTree(coap.get("jobs/digits-csv")).get("state").asText()));
        JsonNode job = JSON.readTree(coap.get("jobs/digits-csv"));
        assertEquals("complete", job.get("state").asText(), job.toString());
        assertTrue(job.get("result").get("test_accuracy").asDouble() >= 0.8, job.toString());
    }
}
