package io.ftpipe.broker.dropin;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import io.ftpipe.broker.embedded.BrokerConfigXml;
import io.ftpipe.broker.embedded.FreePort;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged drop-in zip (failsafe, after {@code package}): its layout, its jar's contents, and
 * that a real HiveMQ loads it from an extensions folder — the path an operator takes.
 */
class DropInZipIT {

    private static final String ID = "ftpipe-extension";

    @TempDir
    Path work;

    private final String version = System.getProperty("ftpipe.extensionVersion");
    private final Path zip = Path.of(System.getProperty("ftpipe.dropInZip", "target/missing.zip"));

    @Test
    void zipHasTheDropInLayout() throws Exception {
        assertNotNull(version, "run through failsafe: ftpipe.extensionVersion is not set");
        assertTrue(Files.isRegularFile(zip), zip + " was not built");
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Set<String> files = new TreeSet<>();
            file.stream().filter(e -> !e.isDirectory()).forEach(e -> files.add(e.getName()));
            assertEquals(new TreeSet<>(List.of(
                    ID + "/" + ID + "-" + version + ".jar",
                    ID + "/hivemq-extension.xml",
                    ID + "/ftpipe-extension.json")), files);

            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(file.getInputStream(file.getEntry(ID + "/hivemq-extension.xml")));
            assertEquals(ID, text(xml, "id"));
            assertEquals(version, text(xml, "version"));
            assertTrue(!text(xml, "name").isBlank());
            Integer.parseInt(text(xml, "priority"));
            Integer.parseInt(text(xml, "start-priority"));

            assertEquals(Files.readString(Path.of("..", "config", "ftpipe-extension.json")),
                    new String(file.getInputStream(file.getEntry(ID + "/ftpipe-extension.json")).readAllBytes(),
                            StandardCharsets.UTF_8), "the zip ships config/ftpipe-extension.json");
        }
    }

    @Test
    void jarIsShadedWithoutHivemq() throws Exception {
        Map<String, byte[]> services = new HashMap<>();
        Set<String> entries = new TreeSet<>();
        try (ZipFile file = new ZipFile(zip.toFile());
             InputStream in = file.getInputStream(file.getEntry(ID + "/" + ID + "-" + version + ".jar"));
             JarInputStream jar = new JarInputStream(in)) {
            for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
                entries.add(e.getName());
                if (e.getName().startsWith("META-INF/services/")) {
                    services.put(e.getName(), jar.readAllBytes());
                }
            }
        }
        assertEquals("io.ftpipe.broker.FtpipeExtensionMain", new String(
                services.get("META-INF/services/com.hivemq.extension.sdk.api.ExtensionMain"),
                StandardCharsets.UTF_8).trim());
        for (String required : List.of(
                "io/ftpipe/broker/FtpipeExtensionMain.class",
                "io/ftpipe/broker/extension.properties",
                "io/ftpipe/protocol/Topics.class",
                "ai/onnxruntime/OrtEnvironment.class",
                "ai/onnx/proto/OnnxMl.class",
                "com/google/protobuf/Message.class",
                "org/msgpack/core/MessagePack.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class",
                "org/eclipse/californium/core/CoapServer.class",
                "org/eclipse/californium/elements/config/Configuration.class")) {
            assertTrue(entries.contains(required), "missing " + required);
        }
        // Dropwizard metrics come with the SDK: a copy of our own would make HiveMQ's registry a foreign class.
        for (String forbidden : List.of("com/hivemq/", "org/slf4j/", "com/codahale/", "io/ftpipe/broker/embedded/")) {
            assertTrue(entries.stream().noneMatch(e -> e.startsWith(forbidden)), "must not contain " + forbidden);
        }
    }

    /**
     * Unzips into a HiveMQ extensions folder and starts the broker. A probe extension that starts
     * after ours (lower start priority) sees whether HiveMQ enabled it. The shipped config is used
     * with one change, a free CoAP port (5683 may be taken on a shared machine); a CoAP request
     * then proves the management API runs inside HiveMQ's extension classloader, and the probe sees
     * the drop-in's metrics in HiveMQ's registry.
     */
    @Test
    void hivemqLoadsTheDropIn() throws Exception {
        Path extensions = Files.createDirectories(work.resolve("extensions"));
        Zips.unzip(zip, extensions);
        Path extensionConfig = extensions.resolve(ID).resolve("ftpipe-extension.json");
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(extensionConfig.toFile());
        int coapPort = FreePort.findUdp();
        int httpPort = FreePort.find();
        Files.writeString(extensionConfig, json.put("coapPort", coapPort).put("httpPort", httpPort).toPrettyString());
        Path conf = work.resolve("conf");
        Path data = Files.createDirectories(work.resolve("data"));
        BrokerConfigXml.write(conf.resolve("config.xml"), FreePort.find(), "127.0.0.1");

        AtomicReference<Set<String>> enabled = new AtomicReference<>();
        AtomicReference<Set<String>> metrics = new AtomicReference<>();
        EmbeddedExtension probe = EmbeddedExtension.builder()
                .withId("probe").withName("probe").withVersion("1").withPriority(0).withStartPriority(0)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                        enabled.set(Set.copyOf(input.getEnabledExtensions().keySet()));
                        metrics.set(Set.copyOf(com.hivemq.extension.sdk.api.services.Services.metricRegistry()
                                .getNames()));
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
                    }
                })
                .build();
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(probe)
                .build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
            assertNotNull(enabled.get(), "the probe did not start");
            assertTrue(enabled.get().contains(ID), "HiveMQ did not enable the drop-in: " + enabled.get());
            assertTrue(metrics.get().contains("ftpipe.devices.known"), "no ftpipe.* metrics in HiveMQ's registry");
            // Its dataDir ("data" in the shipped file) resolved against the extension's home.
            assertTrue(Files.isDirectory(extensions.resolve(ID).resolve("data")));
            // /metrics: the Prometheus client library, shaded into the jar, runs in HiveMQ's extension classloader.
            var scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode(), scrape.body());
            assertTrue(scrape.body().contains("ftpipe_devices_known") && scrape.body().contains("com_hivemq_"),
                    scrape.body());
            CoapClient coap = new CoapClient("coap://127.0.0.1:" + coapPort + "/devices");
            CoapConfig.register();
            UdpConfig.register();
            coap.setEndpoint(CoapEndpoint.builder().setConfiguration(Configuration.createStandardWithoutFile()).build());
            coap.setTimeout(10_000L);
            try {
                CoapResponse devices = coap.get();
                assertNotNull(devices, "no CoAP answer from the drop-in");
                assertEquals(ResponseCode.CONTENT, devices.getCode());
                assertEquals("[]", devices.getResponseText());
            } finally {
                coap.getEndpoint().destroy();
            }
        } finally {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        }
    }

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
