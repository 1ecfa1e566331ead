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
import org.eclipse.paho.mqttv5.common.MqttSubscription;
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
 * What a dashboard and a metrics scraper see of a short real job: device births and a death on the
 * events topic, the retained devices view and plan, and the {@code ftpipe.*} metrics in HiveMQ's
 * registry (where its Prometheus extension would export them from).
 */
class StatusAndMetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    static Path work;

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
        MqttClient late = connect(uri, "late-" + System.nanoTime());
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
            late.disconnect();
            late.close();
        }
    }

    private static boolean has(List<JsonNode> events, String device, String kind) {
        return events.stream().anyMatch(e -> e.get("device").asText().equals(device)
                && e.get("event").asText().equals(kind));
    }

    @Test
    void aShortJobLeavesItsPlanMetricsAndDeviceEventsBehind() throws Exception {
        try (Cluster cluster = new Cluster(work)) {
            String uri = cluster.broker.serverUri();
            List<JsonNode> events = new CopyOnWriteArrayList<>();
            MqttClient dashboard = connect(uri, "dashboard");
            subscribe(dashboard, Topics.DEVICE_EVENTS, (t, m) -> events.add(JSON.readTree(m.getPayload())));

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
            long samples = metrics.get(FtpipeMetrics.SAMPLES).longValue();
            assertTrue(samples >= 256, metrics.toString());
            if (r.recoveries().isEmpty()) {
                assertEquals(256, samples, "each micro-batch finished once is its 16 samples");
            }
            assertEquals((long) r.recoveries().size(), metrics.get(FtpipeMetrics.RECOVERIES).longValue());
            assertEquals(2, metrics.get(FtpipeMetrics.DEVICES_ALIVE).intValue());
            for (String d : devices) {
                assertTrue(metrics.containsKey(FtpipeMetrics.deviceName(d, "stage")), metrics.toString());
            }
            await().atMost(WAIT).until(() -> BrokerMetrics.ftpipe()
                    .get(FtpipeMetrics.rejectedName(RejectReason.MALFORMED)).longValue() >= 1);

            // The plan topic holds the last term's layout.
            JobReport.Term last = r.terms().get(r.terms().size() - 1);
            JsonNode plan = retained(uri, Topics.job("status-mlp", Topics.PLAN));
            assertEquals(last.term(), plan.get("term").asLong());
            assertEquals(r.stages().size(), plan.get("stages").size());
            for (int s = 0; s < r.stages().size(); s++) {
                JsonNode stage = plan.get("stages").get(s);
                assertEquals(r.stages().get(s).device(), stage.get("device").asText());
                assertEquals(r.stages().get(s).from(), stage.get("from_unit").asInt());
                assertEquals(r.stages().get(s).to(), stage.get("to_unit").asInt());
            }

            JsonNode view = retained(uri, Topics.DEVICES_STATUS);
            assertEquals(devices, view.get("devices").findValuesAsText("id"));
            view.get("devices").forEach(d -> assertTrue(d.get("alive").asBoolean(), view.toString()));

            cluster.kill("sm-1");
            await().atMost(WAIT).until(() -> has(events, "sm-1", "death"));
            assertTrue(BrokerMetrics.ftpipe().get("ftpipe.devices.deaths").longValue() >= 1);
            await().atMost(WAIT).until(() -> retained(uri, Topics.DEVICES_STATUS).get("devices").get(1)
                    .get("state").asText().equals("offline"));
            dashboard.disconnect();
            dashboard.close();
        }
    }
}
