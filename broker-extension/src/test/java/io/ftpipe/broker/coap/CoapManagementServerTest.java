package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Topics;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management API against a real central node (no broker: device messages go straight into its
 * inbox, its publishes are recorded) and Californium's own client. Jobs here never train: they ask
 * for more devices than joined, so they wait, which is all the API needs to show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoapManagementServerTest {

    @TempDir
    static Path dir;

    private final List<String> published = new CopyOnWriteArrayList<>();
    private ExtensionConfig config;
    private TrainingCentralNode node;
    private CoapManagementServer server;
    private CoapEndpoint clientEndpoint;

    @BeforeAll
    void start() throws Exception {
        // Port 0: the OS picks, so this test never races anything for a port.
        config = ExtensionConfig.defaults(dir).withCoap(0, "127.0.0.1");
        node = new TrainingCentralNode(config, (topic, payload, qos, retain) -> {
            published.add(topic);
            return CompletableFuture.completedFuture(null);
        });
        server = CoapManagementServer.start(config, node);
        clientEndpoint = CoapEndpoint.builder().setConfiguration(CoapManagementServer.configuration()).build();
        node.onDeviceMessage("gw-1", Topics.device("gw-1", Topics.HELLO),
                MessageCodec.encode(new Message.Hello("gw-1", 2, 1L << 30, 2, "test", 1 << 20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> node.registry().known("gw-1"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        node.close();
        clientEndpoint.destroy();
    }

    private CoapClient client(String path) {
        CoapClient c = new CoapClient("coap://127.0.0.1:" + server.address().getPort() + "/" + path);
        c.setEndpoint(clientEndpoint);
        c.setTimeout(10_000L);
        return c;
    }

    private static JsonNode json(CoapResponse r) throws IOException {
        assertEquals(MediaTypeRegistry.APPLICATION_JSON, r.getOptions().getContentFormat(), r.getResponseText());
        return ManagementJson.MAPPER.readTree(r.getPayload());
    }

    private CoapResponse post(String path, String body) throws Exception {
        return client(path).post(body, MediaTypeRegistry.APPLICATION_JSON);
    }

    @Test
    void devicesListsEveryJoinedDevice() throws Exception {
        CoapResponse r = client("devices").get();
        assertEquals(ResponseCode.CONTENT, r.getCode());
        JsonNode gw = json(r).get(0);
        assertEquals("gw-1", gw.get("id").asText());
        assertEquals("idle", gw.get("state").asText());
        assertTrue(gw.get("alive").asBoolean());
        assertEquals(2, gw.get("cores").asInt());
        assertEquals(1L << 30, gw.get("memory_bytes").asLong());
    }

    @Test
    void oneDeviceByIdAndAnUnknownOneIs404WithAMessage() throws Exception {
        assertEquals("gw-1", json(client("devices/gw-1").get()).get("id").asText());
        CoapResponse r = client("devices/gw-9").get();
        assertEquals(ResponseCode.NOT_FOUND, r.getCode());
        assertEquals("unknown device 'gw-9'", json(r).get("error").asText());
    }

    @Test
    void malformedJsonIs400SayingWhy() throws Exception {
        CoapResponse r = post("jobs", "{\"model\": \"mlp\",");
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(json(r).get("error").asText().startsWith("the body is not valid JSON"), r.getResponseText());
        assertTrue(server.rejections().get(BadRequest.MALFORMED_JSON) >= 1, "counted: " + server.rejections());
    }

    @Test
    void unknownModelAndUnknownKeysAre400() throws Exception {
        CoapResponse model = post("jobs", "{\"model\": \"resnet50\"}");
        assertEquals(ResponseCode.BAD_REQUEST, model.getCode());
        assertTrue(json(model).get("error").asText().contains("model must be one of mlp, cnn, mobilenetv2"));
        CoapResponse key = post("jobs", "{\"epoch\": 2}");
        assertEquals(ResponseCode.BAD_REQUEST, key.getCode());
        assertTrue(json(key).get("error").asText().contains("unknown key 'epoch'"));
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        CoapResponse r = client("jobs").post("model=mlp", MediaTypeRegistry.TEXT_PLAIN);
        assertEquals(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, r.getCode());
    }

    @Test
    void unknownJobsAre404() throws Exception {
        for (String path : List.of("jobs/nope", "jobs/nope/plan", "jobs/nope/stop")) {
            CoapResponse r = path.endsWith("stop") ? post(path, "") : client(path).get();
            assertEquals(ResponseCode.NOT_FOUND, r.getCode(), path);
            assertEquals("unknown job 'nope'", json(r).get("error").asText(), path);
        }
        assertEquals(ResponseCode.NOT_FOUND, client("jobs/nope").delete().getCode());
    }

    @Test
    void aSubmittedJobIsListedAndItsIdTaken() throws Exception {
        CoapResponse created = post("jobs",
                "{\"id\": \"waits\", \"model\": \"mlp\", \"devices\": 2, \"synthetic\": 64}");
        assertEquals(ResponseCode.CREATED, created.getCode(), created.getResponseText());
        assertEquals("jobs/waits", created.getOptions().getLocationPathString());
        assertEquals(List.of("waits"), node.runningJobs());

        JsonNode status = json(client("jobs/waits").get());
        assertEquals("running", status.get("state").asText());
        assertEquals("mlp", status.get("model").asText());
        assertTrue(status.get("last_event").asText().contains("submitted"), status.toString());
        JsonNode listed = json(client("jobs").get());
        assertEquals("waits", listed.get(0).get("id").asText());
        assertEquals("running", listed.get(0).get("state").asText());
        assertEquals(0, json(client("jobs/waits/plan").get()).get("stages").size(), "no plan before devices join");

        CoapResponse again = post("jobs", "{\"id\": \"waits\"}");
        assertEquals(ResponseCode.CONFLICT, again.getCode());
        assertTrue(json(again).get("error").asText().contains("job 'waits' exists (running)"));

        // The job has no layout yet, so no device is told to stop; the job ends when its wait does.
        CoapResponse stopped = client("jobs/waits").delete();
        assertEquals(ResponseCode.DELETED, stopped.getCode(), stopped.getResponseText());
        assertEquals("stopping", json(stopped).get("state").asText());
        assertTrue(published.stream().noneMatch(t -> t.endsWith("/cmd")), published.toString());
    }

    @Test
    void aJobWithoutIdGetsOne() throws Exception {
        CoapResponse created = post("jobs", "{\"model\": \"mlp\", \"devices\": 3, \"synthetic\": 64}");
        assertEquals(ResponseCode.CREATED, created.getCode(), created.getResponseText());
        String location = created.getOptions().getLocationPathString();
        assertTrue(location.matches("jobs/job-\\d+"), location);
        assertEquals(location.substring("jobs/".length()), json(created).get("job").asText());
    }

    @Test
    void discoveryListsTheResources() throws Exception {
        String links = client(".well-known/core").get().getResponseText();
        for (String path : List.of("</devices>", "</jobs>", "</plan>")) {
            assertTrue(links.contains(path), links);
        }
    }

    @Test
    void californiumWritesNoPropertiesFileIntoTheWorkingDirectory() {
        assertFalse(Files.exists(Path.of("Californium3.properties")));
    }

    @Test
    void aPortInUseIsAStartupErrorThatNamesTheSetting() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class, () -> CoapManagementServer.start(
                    config.withCoap(taken.getLocalPort(), "127.0.0.1"), node));
            assertTrue(e.getMessage().contains("cannot listen on udp /127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("coapPort"), e.getMessage());
        }
    }
}
