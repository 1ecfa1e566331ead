package io.ftpipe.it;

import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.bench.Echo;
import io.ftpipe.cli.bench.ExportedWeights;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Garbage on the training topics while a job runs: every message is rejected and counted by the
 * devices, and the job's result is exactly that of a clean run.
 */
class BadInputIT {
    private static final OptimizerConfig SGD = OptimizerConfig.sgd(0.05, 0.9, 0);
    /**
     * The devices' payload limit, below the 1.6 MB assignment of the mlp's first stage: the
     * central node must chunk what it sends to fit each device's limit.
     */
    private static final int LIMIT = 1 << 20;
    @TempDir
    static Path work;
    static Cluster cluster;
    static JobReport clean;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(work);
        cluster.startDevices("bad-", 2, "--max-payload-bytes", String.valueOf(LIMIT));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static JobSpec job(String id) {
        // Speed-blind: both runs keep the same layout (the reference profile is cached), so their
        // weights can be compared bit for bit.
        return new JobSpec(id, "mlp", 2, "gpipe", 32, 2, 1, SGD, 3, 256, 0, JobSpec.SPEED_BLIND);
    }

    /**
     * Issue 25, item 4: what the broker really carried for a job's stages, delivered again, twice:
     * at once and late ({@link Echo}). Every copy is refused, and the job ends as the clean run does.
     */
    @Test
    void duplicatedAndLateMessagesAreRejectedAndChangeNothing() throws Exception {
        JobReport clean = clean();
        long rejectedBefore = rejected();
        Echo echo = Echo.start(cluster.broker.serverUri(), "echo", "echoed");
        JobReport dirty;
        try {
            dirty = cluster.run(job("echoed"));
        } finally {
            echo.close();
        }
        long echoed = echo.toDevices();
        assertTrue(echoed > 20, "echoed " + echoed);
        // Copies that arrive after the job's end find no subscriber (the devices left its topics).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(rejected() - rejectedBefore > 0,
                "refused " + (rejected() - rejectedBefore) + " of " + echoed + " copies"));
        assertEquals(256, dirty.epochs().get(0).samples(), "every sample once");
        assertWeightsEqual(clean, dirty);
    }

    @Test
    void garbageIsRejectedCountedAndChangesNothing() throws Exception {
        JobReport clean = clean();
        long rejectedBefore = rejected();

        MqttClient intruder = new MqttClient(cluster.broker.serverUri(), "intruder", new MemoryPersistence());
        intruder.connect(new MqttConnectionOptions());
        List<byte[]> garbage = new ArrayList<>();
        JobReport dirty = cluster.run(job("dirty"), new JobListener() {
            @Override
            public void termStarted(JobReport.Term term) {
                // Stages are loaded, no data fed yet: inject into both stages' topics now.
                String job = "dirty";
                garbage.add(new byte[]{1, 2, 3, (byte) 0xc1});
                garbage.add(MessageCodec.encode(new Message.Forward(job, 1, 0,
                        Tensor.ofLongs(new long[]{1, 1, 28, 28}, new long[784], 784))));
                garbage.add(MessageCodec.encode(new Message.Forward(job, 1, 0,
                        Tensor.ofFloats(new long[]{1, 5}, FloatBuffer.wrap(new float[5])))));
                float[] nan = new float[784];
                nan[3] = Float.NaN;
                garbage.add(MessageCodec.encode(new Message.Forward(job, 1, 0,
                        Tensor.ofFloats(new long[]{1, 1, 28, 28}, FloatBuffer.wrap(nan)))));
                garbage.add(new byte[LIMIT + 10]);
                garbage.add(MessageCodec.encode(new Message.Forward("no-such-job", 1, 0,
                        Tensor.ofFloats(new long[]{1, 1, 28, 28}, FloatBuffer.wrap(new float[784])))));
                garbage.add(MessageCodec.encode(new Message.Forward(job, 0, 0,
                        Tensor.ofFloats(new long[]{1, 1, 28, 28}, FloatBuffer.wrap(new float[784])))));
                try {
                    for (byte[] g : garbage) {
                        intruder.publish(Topics.stage(job, 0, Topics.FORWARD), g, 1, false);
                    }
                    intruder.publish(Topics.stage(job, 1, Topics.LABELS), MessageCodec.encode(new Message.Labels(job,
                            1, 0, Tensor.ofLongs(new long[]{1}, new long[]{99}, 1))), 1, false);
                    intruder.publish(Topics.stage(job, 0, Topics.BACKWARD), MessageCodec.encode(new Message.Backward(
                            job, 1, 12345, Tensor.ofFloats(new long[]{1, 512}, FloatBuffer.wrap(new float[512])))), 1,
                            false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        intruder.disconnect();
        int injected = garbage.size() + 2;
        await().atMost(Duration.ofSeconds(10)).until(() -> rejected() - rejectedBefore >= injected);
        assertEquals(injected, rejected() - rejectedBefore);

        assertWeightsEqual(clean, dirty);
    }

    private static void assertWeightsEqual(JobReport clean, JobReport other) throws Exception {
        Map<String, float[]> a = ExportedWeights.read(Path.of(clean.modelPath()));
        Map<String, float[]> b = ExportedWeights.read(Path.of(other.modelPath()));
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), 0f, name);
        }
        assertEquals(clean.testAccuracy(), other.testAccuracy());
    }

    /** The job without anything injected, run once for the tests that compare with it. */
    private static synchronized JobReport clean() throws Exception {
        if (clean == null) {
            clean = cluster.run(job("clean"));
        }
        return clean;
    }

    /** The devices' rejection counts, as their heartbeats report them. */
    private static long rejected() {
        return cluster.central().registry().all().stream().map(DeviceRegistry.Device::lastHeartbeat)
                .filter(h -> h != null).mapToLong(Message.Heartbeat::rejected).sum();
    }
}
