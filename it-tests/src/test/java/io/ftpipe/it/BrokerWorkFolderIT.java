package io.ftpipe.it;

import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.cli.bench.BrokerProcess;
import io.ftpipe.cli.bench.BrokerRestartRun;
import io.ftpipe.device.DeviceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code ftpipe broker --work DIR} with the shipped configuration writes everything under DIR:
 * a job's state, replicas and report, HiveMQ's files, logs and crash files. The repository it was
 * started from (the shipped file's folder among it) is left exactly as it was.
 */
class BrokerWorkFolderIT {
    /** it-tests runs in its module folder; the repository is the one above. */
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path work;

    @Test
    void aJobOfTheShippedConfigurationLeavesTheRepositoryUntouched() throws Exception {
        Map<Path, String> before = snapshot(REPOSITORY);
        int port = FreePort.find();
        Path config = REPOSITORY.resolve("config/ftpipe-extension.json");
        Process device = null;
        try (BrokerProcess broker = BrokerProcess.start(work, "broker.log", List.of("--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--work", work.resolve("broker").toString(), "--config", config.toString(),
                "--train", "--model", "mlp", "--devices", "1", "--synthetic", "256", "--batch-size", "32",
                "--report", work.resolve("run.json").toString()))) {
            broker.awaitListening(60_000);
            device = DeviceProcess.start("wf-0", Map.of("--broker-url", "tcp://127.0.0.1:" + port), work.resolve("devices"));
            Path data = work.resolve("broker/central/data");
            await().atMost(Duration.ofMinutes(3)).until(() -> broker.requireRunning()
                    && !BrokerRestartRun.reports(data).isEmpty());
        } finally {
            if (device != null) {
                device.destroyForcibly().waitFor();
            }
        }
        assertFalse(Files.exists(REPOSITORY.resolve("config/data")), "job state beside the shipped configuration");
        assertEquals(before, snapshot(REPOSITORY), "files of the repository created, changed or removed");
    }

    /** Every file outside build output, with its size and modification time. */
    private static Map<Path, String> snapshot(Path root) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(root.relativize(p).toString().split("/"))
                            .noneMatch(part -> part.equals("target") || part.equals(".git")))
                    .forEach(p -> files.put(root.relativize(p), size(p)));
        }
        return files;
    }

    private static String size(Path p) {
        try {
            return Files.size(p) + " bytes, " + Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return "gone: " + e.getMessage();
        }
    }
}
