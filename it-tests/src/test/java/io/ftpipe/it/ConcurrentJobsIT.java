package io.ftpipe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several jobs on one broker with five device JVMs: two jobs of two devices train side by side on
 * devices of their own, and a third that asks for three waits in the queue, visible over CoAP and
 * on its retained status topic, until the shorter of the two ends and frees its devices.
 */
class ConcurrentJobsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    /** a's samples: long enough (seconds) for c to be seen queued behind it. */
    private static final int A_SAMPLES = 6_400;
    /** b trains for several times as long as a, so that c starts while b still holds its devices. */
    private static final int B_SAMPLES = 12_800;
    private static final int B_EPOCHS = 3;
    private static final int C_SAMPLES = 3_200;

    private static JobSpec mlp(String id, int devices, int samples, int epochs) {
        return new JobSpec(id, "mlp", devices, "1f1b", 32, 1, epochs, OptimizerConfig.adam(1e-3, 0), 5, samples, 0,
                JobSpec.SPEED_BLIND);
    }

    private static Set<String> devicesOf(JobReport r) {
        return r.terms().stream().flatMap(t -> t.stages().stream()).map(JobReport.Stage::device)
                .collect(Collectors.toSet());
    }

    @Test
    void twoJobsShareTheFleetAndAThirdWaitsForTheFirstToEnd() throws Exception {
        int coapPort = FreePort.findUdp();
        CoapConfig.register();
        UdpConfig.register();
        CoapEndpoint endpoint = CoapEndpoint.builder().setConfiguration(Configuration.createStandardWithoutFile())
                .build();
        try (Cluster cluster = new Cluster(work, coapPort)) {
            cluster.startDevices("cj-", 5);
            List<JsonNode> statusesOfC = new CopyOnWriteArrayList<>();
            MqttClient watcher = new MqttClient(cluster.broker.serverUri(), "cj-watcher", new MemoryPersistence());
            watcher.connect(new MqttConnectionOptions());
            // Paho v5 1.2.5's subscribe(String, int, listener) overflows the stack; the array form works.
            watcher.subscribe(new MqttSubscription[]{new MqttSubscription(Topics.job("c", Topics.STATUS), 1)},
                    new IMqttMessageListener[]{(t, m) -> statusesOfC.add(JSON.readTree(m.getPayload()))})
                    .waitForCompletion();

            // a ends well before b: c, queued behind both, starts on a's devices while b still trains.
            CompletableFuture<JobReport> a = cluster.central().submit(mlp("a", 2, A_SAMPLES, 1), JobListener.NONE);
            CompletableFuture<JobReport> b = cluster.central().submit(mlp("b", 2, B_SAMPLES, B_EPOCHS), JobListener.NONE);
            await().atMost(WAIT).until(() -> cluster.central().leases().heldBy("a").size() == 2
                    && cluster.central().leases().heldBy("b").size() == 2);
            CompletableFuture<JobReport> c = cluster.central().submit(mlp("c", 3, C_SAMPLES, 1), JobListener.NONE);

            CoapClient coap = new CoapClient("coap://127.0.0.1:" + coapPort + "/jobs/c");
            coap.setEndpoint(endpoint);
            coap.setTimeout(10_000L);
            JsonNode queued = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (queued == null && System.currentTimeMillis() < deadline && !a.isDone()) {
                CoapResponse r = coap.get();
                if (r != null && r.getCode() == ResponseCode.CONTENT) {
                    JsonNode s = JSON.readTree(r.getPayload());
                    queued = s.path("state").asText().equals("queued") ? s : null;
                }
                Thread.sleep(200);
            }
            assertNotNull(queued, "GET /jobs/c never said queued while a and b ran");
            assertEquals(1, queued.get("queue_position").asInt(), queued.toString());
            assertEquals(3, queued.get("devices_wanted").asInt(), queued.toString());

            JobReport ra = a.get(WAIT.toMinutes(), TimeUnit.MINUTES);
            JobReport rc = c.get(WAIT.toMinutes(), TimeUnit.MINUTES);
            JobReport rb = b.get(WAIT.toMinutes(), TimeUnit.MINUTES);
            coap.shutdown();
            watcher.disconnect();
            watcher.close();

            Set<String> shared = new HashSet<>(devicesOf(ra));
            shared.retainAll(devicesOf(rb));
            assertEquals(Set.of(), shared, "a and b shared no device: " + ra.terms() + " / " + rb.terms());
            for (JobReport r : List.of(ra, rb, rc)) {
                int samples = r.job().equals("a") ? A_SAMPLES : r.job().equals("b") ? B_SAMPLES : C_SAMPLES;
                for (JobReport.Epoch e : r.epochs()) {
                    assertEquals(samples, e.samples(), r.job() + " trained every sample once in each epoch");
                }
                assertEquals(0, r.duplicateMicroBatches(), r.job());
                assertEquals(List.of(), r.recoveries(), r.job() + ": " + r.events());
            }
            double aEnded = ra.startedMillis() + ra.seconds() * 1e3;
            double cStarted = rc.startedMillis() + rc.terms().get(0).atSeconds() * 1e3;
            assertTrue(cStarted >= aEnded - 1_000, "c started once a ended: " + rc.events());
            Set<String> fromA = new HashSet<>(devicesOf(rc));
            fromA.retainAll(devicesOf(ra));
            assertTrue(!fromA.isEmpty(), "c runs on devices a freed: " + rc.terms());
            assertTrue(Set.copyOf(devicesOf(rc)).stream().noneMatch(devicesOf(rb)::contains),
                    "c never took b's devices: " + rc.terms() + " / " + rb.terms());
            assertTrue(rc.events().stream().anyMatch(e -> e.contains("queued at position 1 for 3 devices")),
                    rc.events().toString());
            assertTrue(statusesOfC.stream().anyMatch(s -> s.path("state").asText().equals("queued")
                    && s.path("queue_position").asInt() == 1), "the status topic said queued: " + statusesOfC);
            assertEquals("running", statusesOfC.get(statusesOfC.size() - 1).path("state").asText());
        } finally {
            endpoint.destroy();
        }
    }
}
