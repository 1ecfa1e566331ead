package io.ftpipe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.embedded.FreePort;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CoAP management API of a real broker with the extension and two device JVMs: Californium's
 * client lists devices, submits jobs, observes one to its end and stops another; libcoap's
 * {@code coap-client} (Debian's libcoap3-bin: a CoAP implementation that is not ours) reads them too.
 */
class CoapManagementIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A tiny job, as BadInputIT's, with two epochs so that it publishes several statuses. */
    private static final String TINY = """
            {"id": "coap-tiny", "model": "mlp", "devices": 2, "schedule": "gpipe", "batch_size": 32,
             "micro_batches": 2, "epochs": 2, "synthetic": 512, "planner": "speed-blind", "seed": 3}""";
    /** Long enough (a few minutes) to be stopped while it trains. */
    private static final String LONG = """
            {"id": "coap-stop", "model": "mlp", "devices": 2, "batch_size": 32, "epochs": 5,
             "synthetic": 50000, "planner": "speed-blind"}""";

    @TempDir
    static Path work;
    static Cluster cluster;
    static int coapPort;
    static CoapEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        coapPort = FreePort.findUdp();
        cluster = new Cluster(work, coapPort);
        cluster.startDevices("coap-", 2);
        CoapConfig.register();
        UdpConfig.register();
        // Without a file: Californium's default writes Californium3.properties into the working directory.
        endpoint = CoapEndpoint.builder().setConfiguration(Configuration.createStandardWithoutFile()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        endpoint.destroy();
        cluster.close();
        // extensionStop closed the API: the port is free again.
        try (DatagramSocket again = new DatagramSocket(coapPort, InetAddress.getLoopbackAddress())) {
            assertEquals(coapPort, again.getLocalPort());
        }
    }

    private static CoapClient client(String path) {
        CoapClient c = new CoapClient("coap://127.0.0.1:" + coapPort + "/" + path);
        c.setEndpoint(endpoint);
        c.setTimeout(10_000L);
        return c;
    }

    /** The reply's JSON, whose every key must be snake_case. */
    private static JsonNode json(CoapResponse r) throws IOException {
        assertNotNull(r, "no CoAP response");
        JsonNode json = JSON.readTree(r.getPayload());
        SnakeCaseKeys.check(json, json.toString());
        return json;
    }

    private static JsonNode get(String path) throws Exception {
        CoapResponse r = client(path).get();
        assertNotNull(r, "no CoAP response for " + path);
        assertEquals(ResponseCode.CONTENT, r.getCode(), path + ": " + r.getResponseText());
        return json(r);
    }

    private static CoapResponse post(String path, String body) throws Exception {
        return client(path).post(body, MediaTypeRegistry.APPLICATION_JSON);
    }

    private static String state(String job) throws Exception {
        return get("jobs/" + job).get("state").asText();
    }

    @Test
    void devicesShowsTheDevicesThatJoined() throws Exception {
        JsonNode devices = get("devices");
        List<String> ids = new ArrayList<>();
        devices.forEach(d -> ids.add(d.get("id").asText()));
        assertTrue(ids.containsAll(List.of("coap-0", "coap-1")), ids.toString());
        JsonNode d0 = get("devices/coap-0");
        assertTrue(d0.get("alive").asBoolean(), d0.toString());
        assertTrue(d0.get("cores").asInt() >= 1, d0.toString());
        assertTrue(d0.get("memory_bytes").asLong() > 0, d0.toString());
        assertTrue(d0.get("last_seen_ms_ago").asLong() < 5_000, d0.toString());
    }

    @Test
    void badRequestsSayWhatIsWrong() throws Exception {
        CoapResponse malformed = post("jobs", "{\"model\": ");
        assertEquals(ResponseCode.BAD_REQUEST, malformed.getCode());
        assertTrue(json(malformed).get("error").asText().startsWith("the body is not valid JSON"),
                malformed.getResponseText());
        CoapResponse model = post("jobs", "{\"model\": \"vgg\"}");
        assertEquals(ResponseCode.BAD_REQUEST, model.getCode());
        assertTrue(json(model).get("error").asText().contains("model must be one of"), model.getResponseText());

        CoapResponse unknownJob = client("jobs/no-such-job").get();
        assertEquals(ResponseCode.NOT_FOUND, unknownJob.getCode());
        assertEquals("unknown job 'no-such-job'", json(unknownJob).get("error").asText());
        assertEquals(ResponseCode.NOT_FOUND, client("devices/no-such-device").get().getCode());
    }

    @Test
    void observersOfAJobHearEveryStatusUntilItEnds() throws Exception {
        CoapResponse created = post("jobs", TINY);
        assertEquals(ResponseCode.CREATED, created.getCode(), created.getResponseText());
        assertEquals("jobs/coap-tiny", created.getOptions().getLocationPathString());

        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        CoapClient observer = client("jobs/coap-tiny");
        CoapObserveRelation relation = observer.observe(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                try {
                    seen.add(JSON.readTree(response.getPayload()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void onError() {
            }
        });
        try {
            await().atMost(Duration.ofMinutes(5)).until(() -> !seen.isEmpty()
                    && !seen.get(seen.size() - 1).get("state").asText().equals("running"));
        } finally {
            relation.proactiveCancel();
        }
        seen.forEach(status -> SnakeCaseKeys.check(status, status.toString()));
        JsonNode last = seen.get(seen.size() - 1);
        assertEquals("complete", last.get("state").asText(), last.toString());
        assertTrue(last.get("result").get("test_accuracy").asDouble() > 0, last.toString());
        // The first answer is the registration's; every later one is a notification.
        assertTrue(seen.size() >= 3, "at least two notifications after the first answer: " + seen);
        assertTrue(seen.stream().map(s -> s.get("last_event").asText()).distinct().count() >= 2, seen.toString());

        JsonNode plan = get("jobs/coap-tiny/plan");
        assertEquals(2, plan.get("stages").size(), plan.toString());
        assertEquals(0, plan.get("stages").get(0).get("from_unit").asInt());
        assertEquals(3, plan.get("stages").get(1).get("to_unit").asInt(), "the mlp's three units are covered");
        assertTrue(plan.get("predicted_samples_per_second").asDouble() > 0, plan.toString());

        CoapResponse again = post("jobs", TINY);
        assertEquals(ResponseCode.CONFLICT, again.getCode(), "a job id is used once");
        boolean listed = false;
        for (JsonNode j : get("jobs")) {
            listed |= j.get("id").asText().equals("coap-tiny") && j.get("state").asText().equals("complete");
        }
        assertTrue(listed, get("jobs").toString());
    }

    @Test
    void aRunningJobCanBeStoppedAndItsDevicesAreFreed() throws Exception {
        assertEquals(ResponseCode.CREATED, post("jobs", LONG).getCode());
        // Training: both stages planned, and a device reports working on the job.
        await().atMost(Duration.ofMinutes(2)).until(() -> get("jobs/coap-stop/plan").get("stages").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> "coap-stop".equals(get("devices/coap-0").path("job")
                .asText()));
        JsonNode running = get("plan");
        assertTrue(running.toString().contains("coap-stop"), running.toString());

        CoapResponse stopping = post("jobs/coap-stop/stop", "{\"reason\": \"integration test\"}");
        assertEquals(ResponseCode.CHANGED, stopping.getCode(), stopping.getResponseText());
        await().atMost(Duration.ofMinutes(1)).until(() -> !state("coap-stop").equals("running"));
        JsonNode stopped = get("jobs/coap-stop");
        assertEquals("stopped", stopped.get("state").asText(), stopped.toString());
        assertEquals("stopped: integration test", stopped.get("error").asText());
        // The devices were told to drop their stages.
        await().atMost(Duration.ofSeconds(30)).until(() -> get("devices/coap-0").get("state").asText().equals("idle")
                && get("devices/coap-1").get("state").asText().equals("idle"));
        assertEquals(ResponseCode.CONFLICT, client("jobs/coap-stop").delete().getCode(), "not running any more");
    }

    /** libcoap's client reads the devices and gets a refusal's code and reason. */
    @Test
    void libcoapsClientTalksToTheApi() throws Exception {
        LibcoapClient coap = LibcoapClient.onLoopback(coapPort);
        String devices = coap.get("devices");
        JsonNode list = JSON.readTree(devices);
        assertTrue(list.isArray() && list.toString().contains("\"coap-1\""), devices);

        String bad = coap.post("jobs", "{\"model\": \"vgg\"}");
        assertTrue(bad.contains("4.00"), bad);
        assertTrue(bad.contains("model must be one of"), bad);
    }
}
