package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.bench.ExportedWeights;
import io.ftpipe.device.mqtt.PahoDecoding;
import io.ftpipe.protocol.WireDtype;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.train.LocalTrainer;
import io.ftpipe.zoo.train.TrainConfig;
import io.ftpipe.zoo.train.TrainListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Training through the broker with three device JVMs. */
class PipelineTrainingIT {
    @TempDir
    static Path work;
    static Cluster cluster;
    static List<String> devices;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(work);
        devices = cluster.startDevices("dev-", 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    /** The cluster's devices run on this JVM's classpath. */
    @Test
    void devicesDecodeIncomingMessagesInBulk() {
        assertTrue(PahoDecoding.bulk(), "device-client's CountingInputStream must come before Paho's jar");
    }

    /**
     * Three steps of 64 samples as 4 micro-batches each. The only difference left is float32
     * summation order (micro-batch gradients summed on the device, one batch of 64 in ONNX
     * Runtime locally), which momentum amplifies step by step: about 1e-4 after five steps.
     */
    @Test
    void synchronousScheduleGivesTheLocalTrainersWeights() throws Exception {
        OptimizerConfig sgd = OptimizerConfig.sgd(0.05, 0.9, 1e-4);
        JobReport r = cluster.run(new JobSpec("sync-equal", "cnn", 3, "gpipe", 64, 4, 1, sgd, 5, 192, 0));
        assertEquals(3, r.stages().size());
        Map<String, float[]> pipelined = ExportedWeights.read(Path.of(r.modelPath()));

        var model = ModelZoo.cnn();
        var local = LocalTrainer.train(model, new TrainConfig(1, 64, 1, sgd, 5, 1), SyntheticDataset.generate(192, 5),
                SyntheticDataset.generate(100, 6), new TrainListener() {
                });
        assertEquals(local.weights().keySet(), pipelined.keySet());
        for (var e : local.weights().entrySet()) {
            double d = ExportedWeights.relativeDifference(e.getValue(), pipelined.get(e.getKey()));
            assertTrue(d <= 1e-4, e.getKey() + ": relative difference " + d);
        }
    }

    /**
     * A pipeline of three stages, kept at three: an adaptive job rightly moves cnn onto fewer
     * devices here, where a hop through the broker costs more than the stage it saves.
     */
    @Test
    void asynchronousCnnOneEpochOfFashionMnist() throws Exception {
        JobReport r = cluster.run(new JobSpec("async-cnn", "cnn", 3, "1f1b", 64, 1, 1, OptimizerConfig.adam(1e-3, 0),
                1, 0, 0, JobSpec.SPEED_BLIND));
        assertEquals(List.of(0, 1, 2), r.stages().stream().map(JobReport.Stage::stage).toList());
        assertTrue(r.testAccuracy() >= 0.87, "test accuracy " + r.testAccuracy());
    }

    /**
     * Activations and gradients halved on the wire (float16, bfloat16) against float32, the same
     * job otherwise: a fifth of Fashion-MNIST, one epoch.
     */
    @Test
    void halvedActivationsAndGradientsTrainAsWellAsFloat32() throws Exception {
        Map<String, Double> accuracy = new java.util.LinkedHashMap<>();
        for (String wire : WireDtype.NAMES) {
            JobReport r = cluster.run(new JobSpec("wire-" + wire, "cnn", 3, "1f1b", 64, 1, 1,
                    OptimizerConfig.adam(1e-3, 0), 1, 0, 12_000, JobSpec.SPEED_BLIND, JobSpec.Replication.DEFAULT,
                    JobSpec.Sources.DEFAULT, wire));
            assertEquals(3, r.stages().size());
            accuracy.put(wire, r.testAccuracy());
        }
        double reference = accuracy.get("float32");
        assertTrue(reference >= 0.75, "float32 learned: " + accuracy);
        accuracy.forEach((wire, a) -> assertEquals(reference, a, 0.015, wire + " against float32: " + accuracy));
    }
}
