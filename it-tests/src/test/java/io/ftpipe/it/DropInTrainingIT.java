package io.ftpipe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.dropin.Zips;
import io.ftpipe.broker.embedded.BrokerConfigXml;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.device.DeviceProcess;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The drop-in zip as an operator installs it, trained through: unzipped into a HiveMQ CE
 * extensions folder (HiveMQ loads the shaded jar in its own extension classloader, not as an
 * embedded extension), two device JVMs join, and a job submitted over CoAP trains to the end.
 * {@code DropInZipIT} (broker-extension) checks the layout and that the extension starts; this
 * test is the one that needs ONNX Runtime, Jackson, msgpack, protobuf and Californium to work from
 * inside the shaded jar while a job runs (profiling, model export, evaluation, the job's files).
 * HiveMQ runs in a classloader with only HiveMQ in it ({@link IsolatedHiveMQ}): whatever the
 * extension needs must come from the zip, as in a real installation.
 *
 * <p>Run by failsafe after {@code package}: it needs the zip, copied into {@code target/drop-in}.
 */
class DropInTrainingIT {
    private static final String ID = "ftpipe-extension";
    private static final String JOB = "dropin";
    private static final int SAMPLES = 512;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A tiny job: the mlp on two devices, one epoch of synthetic data (seconds of training). */
    private static final String JOB_BODY = """
            {"id": "dropin", "model": "mlp", "devices": 2, "synthetic": 512, "epochs": 1,
             "planner": "speed-blind"}""";
    private static final long DEVICES_TIMEOUT_MILLIS = 60_000;
    private static final long JOB_TIMEOUT_MILLIS = 180_000;

    @TempDir
    Path work;

    @Test
    void aJobTrainsThroughTheUnzippedDropIn() throws Exception {
        Path zip = Path.of(System.getProperty("ftpipe.dropInZip", "target/drop-in/missing.zip"));
        assertTrue(Files.isRegularFile(zip), zip + " is missing: run through failsafe (mvn verify), which copies "
                + "broker-extension's zip there");

        Path extensions = Files.createDirectories(work.resolve("extensions"));
        Zips.unzip(zip, extensions);
        Path dataDir = work.resolve("central-data").toAbsolutePath();
        int coapPort = FreePort.findUdp();
        Path extensionConfig = extensions.resolve(ID).resolve("ftpipe-extension.json");
        ObjectNode config = (ObjectNode) JSON.readTree(extensionConfig.toFile());
        config.put("coapPort", coapPort).put("httpPort", FreePort.find()).put("dataDir", dataDir.toString());
        Files.writeString(extensionConfig, config.toPrettyString());

        int mqttPort = FreePort.find();
        Path conf = work.resolve("conf");
        BrokerConfigXml.write(conf.resolve("config.xml"), mqttPort, "127.0.0.1");
        Path brokerData = Files.createDirectories(work.resolve("hivemq-data"));

        List<Process> devices = new ArrayList<>();
        CoapConfig.register();
        UdpConfig.register();
        // Without a file: Californium's default writes Californium3.properties into the working directory.
        CoapEndpoint endpoint = CoapEndpoint.builder()
                .setConfiguration(Configuration.createStandardWithoutFile()).build();
        try (IsolatedHiveMQ hivemq = IsolatedHiveMQ.start(Path.of(System.getProperty("ftpipe.hivemqClasspath",
                "target/drop-in/hivemq.classpath")), conf, brokerData, extensions)) {
            assertHiveMQLacksTheDropInsLibraries(hivemq, extensions);
            try {
                Coap coap = new Coap(coapPort, endpoint);
                assertNotNull(coap.client("devices").get(), "no CoAP answer: did HiveMQ enable the drop-in? "
                        + "(its log above says why not)");

                Path deviceWork = work.resolve("devices");
                for (String id : List.of("dropin-0", "dropin-1")) {
                    Map<String, String> flags = new LinkedHashMap<>();
                    flags.put("--broker-url", "tcp://127.0.0.1:" + mqttPort);
                    flags.put("--heartbeat-millis", "300");
                    devices.add(DeviceProcess.start(id, flags, deviceWork));
                }
                awaitAlive(coap, List.of("dropin-0", "dropin-1"), devices, deviceWork);

                CoapResponse created = coap.client("jobs").post(JOB_BODY, MediaTypeRegistry.APPLICATION_JSON);
                assertNotNull(created, "no answer to POST /jobs");
                assertEquals(ResponseCode.CREATED, created.getCode(), created.getResponseText());

                JsonNode status = awaitEnd(coap);
                assertEquals("complete", status.path("state").asText(), "the job did not complete: " + status);
                JsonNode result = status.path("result");
                assertTrue(result.path("test_accuracy").isNumber(), "no test accuracy: " + status);
                double accuracy = result.path("test_accuracy").asDouble();
                assertTrue(accuracy >= 0 && accuracy <= 1, "test accuracy " + accuracy);
                assertEquals(0, result.path("recoveries").asInt(-1), "no recovery expected: " + status);
                assertEquals(0, status.path("recoveries").size(), status.toString());
                assertEquals(1, result.path("epochs").asInt(), status.toString());

                // The central node's files, in the dataDir the drop-in's config names.
                Path jobDir = dataDir.resolve("jobs").resolve(JOB);
                Path model = jobDir.resolve("model.onnx");
                assertTrue(Files.isRegularFile(model) && Files.size(model) > 0, model + " was not written");
                assertEquals(model.toString(), result.path("model_path").asText(), status.toString());
                Path reportFile = jobDir.resolve("report.json");
                assertTrue(Files.isRegularFile(reportFile), reportFile + " was not written");
                JsonNode report = JSON.readTree(reportFile.toFile());
                assertEquals(JOB, report.path("job").asText());
                assertEquals(1, report.path("epochs").size(), report.toString());
                assertEquals(SAMPLES, report.path("epochs").get(0).path("samples").asLong(),
                        "every sample trained once in the epoch");
                assertEquals(0, report.path("recoveries").size(), "recoveries: " + report.path("recoveries"));
                assertEquals(List.of("dropin-0", "dropin-1"), sorted(report.path("devices")));
            } finally {
                // Before the broker stops, or they would try to reconnect to it.
                for (Process p : devices) {
                    p.destroyForcibly();
                }
                for (Process p : devices) {
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            endpoint.destroy();
        }
    }

    /**
     * The isolation the test depends on: HiveMQ's classloader has none of the drop-in's classes
     * (the pom's exclusion list is complete), except Jackson, which HiveMQ CE ships for itself.
     */
    private static void assertHiveMQLacksTheDropInsLibraries(IsolatedHiveMQ hivemq, Path extensions)
            throws Exception {
        assertTrue(hivemq.sees("com/hivemq/embedded/EmbeddedHiveMQ.class"));
        for (String library : List.of("io/ftpipe/broker/FtpipeExtensionMain.class",
                "ai/onnxruntime/OrtEnvironment.class", "org/msgpack/core/MessagePack.class",
                "com/google/protobuf/Message.class", "org/eclipse/californium/core/CoapServer.class")) {
            assertTrue(!hivemq.sees(library), "HiveMQ's classloader must not have " + library);
        }
        Path jar;
        try (var files = Files.list(extensions.resolve(ID))) {
            jar = files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        try (ZipFile dropIn = new ZipFile(jar.toFile())) {
            List<String> shared = hivemq.sharedClasses(dropIn, List.of("com/fasterxml/jackson/"));
            assertTrue(shared.isEmpty(), shared.size() + " classes of the drop-in are also in HiveMQ's "
                    + "classloader (exclude their library in it-tests' hivemq-classpath execution), e.g. "
                    + shared.subList(0, Math.min(5, shared.size())));
        }
    }

    /** Until {@code GET /devices} shows every id alive; a device JVM that exits fails with its log. */
    private static void awaitAlive(Coap coap, List<String> ids, List<Process> devices, Path deviceWork)
            throws Exception {
        long deadline = System.currentTimeMillis() + DEVICES_TIMEOUT_MILLIS;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            for (int i = 0; i < devices.size(); i++) {
                if (!devices.get(i).isAlive()) {
                    fail(ids.get(i) + " exited:\n" + Files.readString(deviceWork.resolve(ids.get(i) + ".log")));
                }
            }
            CoapResponse r = coap.client("devices").get();
            if (r != null && r.getCode() == ResponseCode.CONTENT) {
                last = r.getResponseText();
                List<String> alive = new ArrayList<>();
                JSON.readTree(r.getPayload()).forEach(d -> {
                    if (d.path("alive").asBoolean()) {
                        alive.add(d.path("id").asText());
                    }
                });
                if (alive.containsAll(ids)) {
                    return;
                }
            }
            Thread.sleep(300);
        }
        fail("devices " + ids + " not alive after " + DEVICES_TIMEOUT_MILLIS + " ms; GET /devices: " + last);
    }

    /** Polls {@code GET /jobs/dropin} until its state is no longer running. */
    private static JsonNode awaitEnd(Coap coap) throws Exception {
        long deadline = System.currentTimeMillis() + JOB_TIMEOUT_MILLIS;
        JsonNode status = null;
        while (System.currentTimeMillis() < deadline) {
            CoapResponse r = coap.client("jobs/" + JOB).get();
            if (r != null) {
                assertEquals(ResponseCode.CONTENT, r.getCode(), r.getResponseText());
                status = JSON.readTree(r.getPayload());
                if (!status.path("state").asText().equals("running")) {
                    return status;
                }
            }
            Thread.sleep(500);
        }
        fail("the job still runs after " + JOB_TIMEOUT_MILLIS + " ms: " + status);
        return status;
    }

    private static List<String> sorted(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        Collections.sort(out);
        return out;
    }

    /** Californium clients of the drop-in's management API, sharing one endpoint. */
    private record Coap(int port, CoapEndpoint endpoint) {
        CoapClient client(String path) {
            CoapClient c = new CoapClient("coap://127.0.0.1:" + port + "/" + path);
            c.setEndpoint(endpoint);
            c.setTimeout(10_000L);
            return c;
        }
    }
}
