package io.ftpipe.it;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 25, item 4: the central node's disk full. Its data folder is a tiny tmpfs (mounting needs
 * root, as CI has): the replicas of the large units and the model do not fit. The job says
 * once that it cannot store, trains on, recovers from a killed device on the devices' copies, and
 * ends with a clear reason when its model cannot be written.
 */
class FullDiskIT {
    @TempDir
    static Path work;

    @Test
    void aFullDiskIsToldTrainingGoesOnAndTheEndSaysWhy() throws Exception {
        Path data = Files.createDirectories(work.resolve("small-disk"));
        run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", data.toString());
        try (Cluster cluster = new Cluster(work, b -> b.extensionConfig(ExtensionConfig.defaults(work.resolve("broker"))
                .withDataDir(data)))) {
            cluster.startDevices("disk-", 3);
            List<String> events = new CopyOnWriteArrayList<>();
            FaultAt kill = FaultAt.onStage(60, 1, devices -> cluster.kill(devices.toArray(String[]::new)));
            JobListener listener = JobListener.both(kill, new JobListener() {
                @Override
                public void event(String what) {
                    events.add(what);
                }
            });
            CompletableFuture<JobReport> job = cluster.central().submit(new JobSpec("full-disk", "cnn", 3, "1f1b", 32,
                    1, 1, OptimizerConfig.adam(1e-3, 0), 7, 0, 3200, JobSpec.SPEED_BLIND,
                    new JobSpec.Replication(25, 50)), listener);

            ExecutionException end = assertThrows(ExecutionException.class, () -> job.get(10, TimeUnit.MINUTES));
            assertTrue(String.valueOf(end.getCause()).contains("No space left on device"), end.getCause().toString());
            assertTrue(kill.recovered(), "recovered from the kill: " + events);
            assertEquals(1, events.stream().filter(e -> e.startsWith("the central node cannot store")).count(),
                    "told once: " + events);
            assertTrue(events.stream().anyMatch(e -> e.startsWith("epoch 1: 3200 samples")), "trained on: " + events);
        } finally {
            run("umount", data.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command)
                + " failed (it needs root): " + output);
    }
}
