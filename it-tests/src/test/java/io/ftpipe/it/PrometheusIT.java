package io.ftpipe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus server (Debian's {@code prometheus}) scrapes the central node's {@code /metrics}
 * while a job trains on device JVMs, and answers, through its HTTP API, a query for the samples
 * per second and for the per-device gauges.
 */
class PrometheusIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void prometheusScrapesAJobAndAnswersSamplesPerSecond() throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), "Prometheus is not installed: apt-get install prometheus");
        int httpPort = FreePort.find();
        Path brokerWork = work.resolve("broker");
        try (Cluster cluster = new Cluster(work, b -> b.extensionConfig(ExtensionConfig.defaults(brokerWork)
                .withDataDir(brokerWork.resolve("central")).withCoap(0, "127.0.0.1").withHttp(httpPort, "127.0.0.1")))) {
            cluster.startDevices("prom-", 2);
            int promPort = FreePort.find();
            Path config = Files.writeString(work.resolve("prometheus.yml"), String.join("\n",
                    "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s", "scrape_configs:",
                    "  - job_name: ftpipe", "    static_configs:", "      - targets: ['127.0.0.1:" + httpPort + "']", ""));
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
            try {
                JobSpec spec = new JobSpec("scraped", "mlp", 2, "1f1b", 32, 1, 1, OptimizerConfig.adam(1e-3, 0), 3,
                        40_000, 0, JobSpec.SPEED_BLIND);
                CompletableFuture<JobReport> job = cluster.central().submit(spec, JobListener.NONE);
                String rate = "sum(rate(ftpipe_samples_total[5s]))";
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                        job.isDone() || value(query(promPort, rate)) > 0);
                double samplesPerSecond = value(query(promPort, rate));
                assertTrue(samplesPerSecond > 0, "Prometheus saw no samples/s while the job ran: "
                        + query(promPort, rate) + "; log: " + Files.readString(work.resolve("prometheus.log")));

                JsonNode devices = query(promPort, "ftpipe_device_compute_ms");
                assertEquals(2, devices.path("data").path("result").size(), devices.toString());
                assertTrue(devices.toString().contains("\"device\":\"prom-0\""), devices.toString());
                JsonNode broker = query(promPort, "com_hivemq_messages_incoming_publish_count_total");
                assertTrue(value(broker) > 0, "HiveMQ's own metrics too: " + broker);

                JobReport report = job.get(5, TimeUnit.MINUTES);
                assertEquals(40_000, report.epochs().get(0).samples());
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Prometheus's instant query API: {@code {"status":"success","data":{"result":[...]}}}. */
    private static JsonNode query(int port, String promql) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** The first series' value, 0 when there is none yet. */
    private static double value(JsonNode answer) {
        JsonNode result = answer.path("data").path("result");
        return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
