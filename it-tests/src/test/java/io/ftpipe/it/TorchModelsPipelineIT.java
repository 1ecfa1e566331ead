package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.data.NpyArray;
import io.ftpipe.zoo.data.NpzReader;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models nobody here wrote, through a three-device pipeline: torchvision's resnet18 and
 * mobilenet_v2 and a HAR 1-D CNN, each exported by PyTorch (Debian's python3-torch), trained on a
 * small data set of its input shape from an .npz, and exported; ONNX Runtime's predictions from the
 * exported file score what the trainer scored. How well they learn is {@code bench import}'s
 * question, not this test's: the sets are small so that three models fit the suite's time.
 */
class TorchModelsPipelineIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int TRAIN = 320;
    private static final int TEST = 160;
    @TempDir
    static Path work;
    static Path fixture;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        fixture = Files.createDirectories(work.resolve("fixture"));
        for (String script : new String[]{"torch_models.py", "pytorch_import_bench.py", "torch_models_fixture.py"}) {
            try (InputStream in = TorchModelsPipelineIT.class.getResourceAsStream("/python/" + script)) {
                Files.copy(in, fixture.resolve(script), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Process p = new ProcessBuilder(PYTHON.toString(), fixture.resolve("torch_models_fixture.py").toString(),
                fixture.toString(), "/usr/share/datasets/fashion-mnist", String.valueOf(TRAIN), String.valueOf(TEST))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "the PyTorch side failed (needs "
                + "python3-torch, python3-torchvision and dataset-fashion-mnist):\n" + out);
        cluster = new Cluster(work, FreePort.findUdp());
        cluster.startDevices("tm-", 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @ParameterizedTest
    @CsvSource({"resnet18, 1x28x28", "mobilenet_v2, 1x28x28", "har, 9x128"})
    void trainsThroughThreeDevicesAndItsExportPredictsWhatTheTrainerScored(String name, String shape)
            throws Exception {
        Path data = fixture.resolve(name + ".npz");
        JobReport r = cluster.run(new JobSpec(name, fixture.resolve(name + ".onnx").toString(), 3,
                Schedule.Names.ONE_F_ONE_B, 32, 1, 1, OptimizerConfig.adam(1e-3, 0), 1, 0, 0, JobSpec.SPEED_BLIND,
                JobSpec.Replication.DEFAULT, new JobSpec.Sources(data.toString(), "auto", false)));
        assertEquals(3, r.stages().size(), "three devices: " + r.stages());
        assertEquals(TRAIN, r.epochs().stream().mapToLong(JobReport.Epoch::samples).sum(), "every sample once");
        assertTrue(Double.isFinite(r.epochs().get(0).trainLoss()), "a finite loss: " + r.epochs());

        Map<String, NpyArray> npz = NpzReader.read(data);
        long[] sampleShape = Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
        double accuracy = ExportedModelRun.accuracy(Path.of(r.modelPath()), "input", "logits", sampleShape,
                npz.get("x_test").floats(), npz.get("y_test").longs());
        assertEquals(r.testAccuracy(), accuracy, 1.5 / TEST, "ONNX Runtime on the exported model against the "
                + "trainer's evaluation");
    }
}
