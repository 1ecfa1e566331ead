package io.ftpipe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.broker.mqtt.BrokerMetrics;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a dashboard and a metrics scraper see of short real jobs: device births and deaths on the
 * events topic, the retained devices view and plan, and the {@code ftpipe.*} metrics in HiveMQ's
 * registry (where its Prometheus extension would export them from). One broker for the class;
 * counters are compared before and after each job, as they add up across jobs.
 */
class StatusAndMetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    static Path work;
    static Cluster cluster;
    static String uri;
    static MqttClient dashboard;
    static final List<JsonNode> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(work);
        uri = cluster.broker.serverUri();
        dashboard = connect(uri, "dashboard");
        subscribe(dashboard, Topics.DEVICE_EVENTS, (t, m) -> events.add(JSON.readTree(m.getPayload())));
    }

    @AfterAll
    static void stop() throws Exception {
        dashboard.disconnect();
        dashboard.close();
        cluster.close();
    }

    /** Each job has its own devices. */
    @AfterEach
    void killDevices() throws Exception {
        cluster.killAll();
    }

    private static long metric(String name) {
        Number n = BrokerMetrics.ftpipe().get(name);
        return n == null ? 0 : n.longValue();
    }

    private static MqttClient connect(String uri, String id) throws Exception {
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
        c.connect(new MqttConnectionOptions());
        return c;
    }

    /** Paho v5 1.2.5's subscribe(String, int, listener) overflows the stack; the array form works. */
    private static void subscribe(MqttClient c, String topic, IMqttMessageListener listener) throws Exception {
        c.subscribe(new MqttSubscription[]{new MqttSubscription(topic, 1)}, new IMqttMessageListener[]{listener})
                .waitForCompletion();
    }

    /** The retained message on {@code topic}, as a client subscribing now gets it. */
    private static JsonNode retained(String uri, String topic) throws Exception {
        BlockingQueue<JsonNode> seen = new LinkedBlockingQueue<>();
        MqttClient late = connectRetrying(uri, "late-" + System.nanoTime());
        try {
            subscribe(late, topic, (t, m) -> {
                if (m.isRetained()) {
                    seen.add(JSON.readTree(m.getPayload()));
                }
            });
            JsonNode json = seen.poll(10, TimeUnit.SECONDS);
            assertNotNull(json, "nothing retained on " + topic);
            return json;
        } finally {
            closeQuietly(late);
        }
    }

    /**
     * An observer's connect, tried three times: on two cores loaded by a job, a connect has been
     * reset once (CI, "Untranslated MqttException - RC: 0"), which says nothing about the product.
     */
    private static MqttClient connectRetrying(String uri, String id) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return connect(uri, id);
            } catch (MqttException e) {
                if (attempt == 3) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** An observer's goodbye can fail on a connection the load dropped; what it saw is already kept. */
    private static void closeQuietly(MqttClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect();
            }
        } catch (MqttException e) {
            System.err.println("observer " + c.getClientId() + " did not disconnect cleanly: " + e);
        }
        try {
            c.close();
        } catch (MqttException e) {
            System.err.println("observer " + c.getClientId() + " did not close: " + e);
        }
    }

    private static boolean has(List<JsonNode> events, String device, String kind) {
        return events.stream().anyMatch(e -> e.get("device").asText().equals(device)
                && e.get("event").asText().equals(kind));
    }

    @Test
    void aShortJobLeavesItsPlanMetricsAndDeviceEventsBehind() throws Exception {
        long samplesBefore = metric(FtpipeMetrics.SAMPLES);
        long malformedBefore = metric(FtpipeMetrics.rejectedName(RejectReason.MALFORMED));
        List<String> devices = cluster.startDevices("sm-", 2);
        await().atMost(WAIT).until(() -> devices.stream().allMatch(d -> has(events, d, "birth")));

        // One malformed message on a device topic: rejected and counted by reason.
        MqttClient intruder = connect(uri, "intruder");
        intruder.publish(Topics.device("sm-0", Topics.HEARTBEAT), new byte[]{(byte) 0xc1}, 1, false);
        intruder.disconnect();
        intruder.close();

        // The smallest job there is: 256 generated samples, 8 steps of 2 micro-batches of 16.
        JobReport r = cluster.run(new JobSpec("status-mlp", "mlp", 2, "gpipe", 32, 2, 1,
                OptimizerConfig.sgd(0.05, 0.9, 0), 3, 256, 0, JobSpec.SPEED_BLIND));

        Map<String, Number> metrics = BrokerMetrics.ftpipe();
        long samples = metrics.get(FtpipeMetrics.SAMPLES).longValue() - samplesBefore;
        assertTrue(samples >= 256, metrics.toString());
        if (r.recoveries().isEmpty()) {
            assertEquals(256, samples, "each micro-batch finished once is its 16 samples");
        }
        assertEquals(2, metrics.get(FtpipeMetrics.DEVICES_ALIVE).intValue());
        for (String d : devices) {
            assertTrue(metrics.containsKey(FtpipeMetrics.deviceName(d, "stage")), metrics.toString());
        }
        await().atMost(WAIT).until(() -> metric(FtpipeMetrics.rejectedName(RejectReason.MALFORMED)) > malformedBefore);

        // The plan topic holds the last term's layout.
        JsonNode plan = retained(uri, Topics.job("status-mlp", Topics.PLAN));
        assertEquals(r.terms().get(r.terms().size() - 1).term(), plan.get("term").asLong());
        assertEquals(r.stages().size(), plan.get("stages").size());
        for (int s = 0; s < r.stages().size(); s++) {
            JsonNode stage = plan.get("stages").get(s);
            assertEquals(r.stages().get(s).device(), stage.get("device").asText());
            assertEquals(r.stages().get(s).from(), stage.get("from_unit").asInt());
            assertEquals(r.stages().get(s).to(), stage.get("to_unit").asInt());
        }

        JsonNode view = retained(uri, Topics.DEVICES_STATUS);
        for (String d : devices) {
            JsonNode me = deviceIn(view, d);
            assertNotNull(me, view.toString());
            assertTrue(me.get("alive").asBoolean(), view.toString());
        }

        long deathsBefore = metric("ftpipe.devices.deaths");
        cluster.kill("sm-1");
        await().atMost(WAIT).until(() -> has(events, "sm-1", "death"));
        assertTrue(metric("ftpipe.devices.deaths") > deathsBefore);
        await().atMost(WAIT).until(() -> deviceIn(retained(uri, Topics.DEVICES_STATUS), "sm-1")
                .get("state").asText().equals("offline"));
    }

    /** A device killed mid-job: the recovery, the device it lost and the replicas are counted. */
    @Test
    void aRecoveryIsCountedWithTheDeviceItLost() throws Exception {
        long recoveriesBefore = metric(FtpipeMetrics.RECOVERIES);
        long failedBefore = metric(FtpipeMetrics.DEVICES_FAILED);
        long replicatedBefore = metric(FtpipeMetrics.REPLICATION_BYTES);
        cluster.startDevices("rc-", 3);
        FaultAt kill = FaultAt.onStage(24, 1, devices -> cluster.kill(devices.get(0)));
        // Everything a dashboard reads during a job with a recovery: statuses, plans, devices, events.
        List<JsonNode> published = new CopyOnWriteArrayList<>();
        List<String> unreadable = new CopyOnWriteArrayList<>();
        // A dashboard keeps its session and reconnects: a job loading two cores may delay its pings.
        MqttConnectionOptions keep = new MqttConnectionOptions();
        keep.setCleanStart(false);
        keep.setSessionExpiryInterval(600L);
        keep.setAutomaticReconnect(true);
        MqttClient reader = new MqttClient(uri, "key-reader", new MemoryPersistence());
        reader.connect(keep);
        for (String topic : List.of(Topics.DEVICES_STATUS, Topics.DEVICE_EVENTS, Topics.JOBS + "+/" + Topics.STATUS,
                Topics.JOBS + "+/" + Topics.PLAN)) {
            // A listener that throws makes Paho drop the connection, so a bad payload is recorded instead.
            subscribe(reader, topic, (t, m) -> {
                try {
                    published.add(JSON.readTree(m.getPayload()));
                } catch (Exception e) {
                    unreadable.add(t + ": " + e);
                }
            });
        }
        // 64 micro-batches of 32 generated samples, replicated every 8 (chain) and 16 (global).
        JobReport r = cluster.run(new JobSpec("recovering-mlp", "mlp", 3, "1f1b", 32, 1, 1,
                OptimizerConfig.adam(1e-3, 0), 5, 2048, 0, JobSpec.SPEED_BLIND, new JobSpec.Replication(8, 16)),
                kill);
        List<String> killed = kill.devices();

        assertEquals(1, killed.size());
        assertTrue(!r.recoveries().isEmpty(), "recovered: " + r.events());
        assertEquals(r.recoveries().size(), metric(FtpipeMetrics.RECOVERIES) - recoveriesBefore);
        assertEquals(r.recoveries().stream().mapToLong(x -> x.failed().size()).sum(),
                metric(FtpipeMetrics.DEVICES_FAILED) - failedBefore);
        assertTrue(metric(FtpipeMetrics.REPLICATION_BYTES) > replicatedBefore, BrokerMetrics.ftpipe().toString());
        assertTrue(has(events, killed.get(0), "death"), events.toString());
        JsonNode plan = retained(uri, Topics.job("recovering-mlp", Topics.PLAN));
        assertEquals(r.terms().get(r.terms().size() - 1).term(), plan.get("term").asLong());
        assertTrue(plan.get("reason").asText().startsWith("recovery from"), plan.toString());

        closeQuietly(reader);
        assertTrue(unreadable.isEmpty(), unreadable.toString());
        assertTrue(published.stream().anyMatch(j -> j.path("recoveries").size() > 0 && j.path("capacities").size() > 0),
                "a status with a recovery and measured capacities was published");
        published.forEach(j -> SnakeCaseKeys.check(j, j.toString()));
    }

    private static JsonNode deviceIn(JsonNode view, String id) {
        for (JsonNode d : view.get("devices")) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        return null;
    }
}
