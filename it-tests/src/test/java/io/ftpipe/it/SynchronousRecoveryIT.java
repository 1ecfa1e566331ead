package io.ftpipe.it;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.cli.bench.BrokerProcess;
import io.ftpipe.cli.bench.BrokerRestartRun;
import io.ftpipe.cli.bench.FaultRun;
import io.ftpipe.cli.bench.LoopbackLink;
import io.ftpipe.cli.bench.StatusWatcher;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.cli.bench.ExportedWeights;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 25, item 2: a synchronous (GPipe) job that loses devices rolls every unit back to one step
 * and trains on from there, so it ends with the weights of the same job without failures. GPipe's
 * updates do not depend on the layout (the same job on one, two or three devices ends bit for bit
 * equal), so the recovery's new layout changes nothing either.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynchronousRecoveryIT {
    private static final int SAMPLES = 3_200;
    /** Short periods, so that a kill finds several rounds of replicas to roll back to. */
    private static final JobSpec.Replication REPLICATION = new JobSpec.Replication(8, 24);
    /** Longer than the central node's default heartbeat timeout. */
    private static final long OUTAGE_MILLIS = 7_000;

    @TempDir
    static Path work;
    static Cluster cluster;
    static Map<String, float[]> failureFree;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(work);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void killDevices() throws Exception {
        cluster.killAll();
    }

    private static JobSpec job(String id) {
        return job(id, REPLICATION);
    }

    private static JobSpec job(String id, JobSpec.Replication replication) {
        return new JobSpec(id, "cnn", 3, "gpipe", 32, 4, 1, OptimizerConfig.adam(1e-3, 0), 7, 0, SAMPLES,
                JobSpec.SPEED_BLIND, replication);
    }

    @Test
    @Order(1)
    void failureFreeReference() throws Exception {
        cluster.startDevices("ref-", 3);
        JobReport r = cluster.run(job("sync-reference"));
        assertEquals(List.of(), r.recoveries());
        failureFree = ExportedWeights.read(Path.of(r.modelPath()));
    }

    @Test
    @Order(2)
    void oneKilledDevice() throws Exception {
        cluster.startDevices("one-", 3);
        killAndCompare("sync-one", 130, stages -> List.of(stages.get(1).device()));
    }

    @Test
    @Order(3)
    void twoAdjacentDevices() throws Exception {
        cluster.startDevices("adj-", 3);
        killAndCompare("sync-adjacent", 173, stages -> List.of(stages.get(1).device(), stages.get(2).device()));
    }

    @Test
    @Order(4)
    void allButOneDevice() throws Exception {
        cluster.startDevices("last-", 3);
        JobReport r = killAndCompare("sync-all-but-one", 211, stages -> List.of(stages.get(0).device(),
                stages.get(2).device()));
        assertEquals(1, r.stages().size(), "one device trains the whole model: " + r.stages());
    }

    /**
     * Stage 1's device killed, and stage 0's paused (SIGSTOP) as soon as the job has noticed: it
     * does not answer the recovery's collect, its heartbeats stop, and the recovery starts over
     * without it.
     */
    @Test
    @Order(5)
    void aSecondFailureDuringTheRecovery() throws Exception {
        cluster.startDevices("twice-", 3);
        AtomicReference<List<JobReport.Stage>> layout = new AtomicReference<>();
        FaultAt first = new FaultAt(150, stages -> {
            layout.set(stages);
            return List.of(stages.get(1).device());
        }, devices -> cluster.kill(devices.toArray(String[]::new)));
        List<String> second = new CopyOnWriteArrayList<>();
        JobListener duringRecovery = new JobListener() {
            @Override
            public void event(String what) {
                if (what.contains(" broken: ") && second.isEmpty()) {
                    second.add(layout.get().get(0).device());
                    cluster.signal("STOP", second.get(0));
                }
            }
        };
        JobReport r = compare("sync-twice", JobListener.both(first, duringRecovery));
        cluster.kill(second.get(0));
        assertTrue(r.events().stream().anyMatch(e -> e.contains("recovery interrupted")), r.events().toString());
        String failed = r.recoveries().stream().flatMap(x -> x.failed().stream()).toList().toString();
        assertTrue(failed.contains(first.device()) && failed.contains(second.get(0)), failed);
    }

    /**
     * A device's link to the broker down for longer than the heartbeat timeout, and up again: the
     * job recovers without it, its messages sent meanwhile arrive late and are refused as the old
     * term's, and it comes back on its own (same process, same connection).
     */
    @Test
    @Order(6)
    void aDeviceCutOffFromTheNetworkAndBack() throws Exception {
        try (LoopbackLink link = new LoopbackLink("127.0.0.1", cluster.broker.port())) {
            cluster.startDevices("net-", 2);
            String remote = cluster.launchDevices(link.uri(), "net-remote-", 1).get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.central().registry().alive(5000)
                    .contains(remote));
            long pid = cluster.pid(remote);
            FaultAt outage = new FaultAt(150, stages -> List.of(remote), devices -> {
                link.down();
                Thread up = new Thread(() -> {
                    try {
                        Thread.sleep(OUTAGE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    link.up();
                });
                up.setDaemon(true);
                up.start();
            });
            JobReport r = compare("sync-outage", outage);
            assertTrue(r.recoveries().get(0).failed().get(0).startsWith(remote + " "), r.recoveries().toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.central().registry().alive(2000)
                    .contains(remote));
            assertEquals(pid, cluster.pid(remote), "the same process, back on its own");
        }
    }

    /**
     * The central node killed ({@code ftpipe broker --train} in a JVM of its own) and, while it is
     * down, the newest replica file of every unit damaged, as a disk that lost power might. The
     * restarted central node skips them (checksums), rolls back to a step it holds intact copies of,
     * and still ends with the failure-free weights: it never trained on a damaged copy.
     */
    @Test
    @Order(7)
    void theCentralNodeRestartedWithItsNewestReplicasDamaged() throws Exception {
        Path home = work.resolve("restart");
        Path data = home.resolve("data");
        Path config = home.resolve("ftpipe-extension.json");
        Files.createDirectories(home);
        Files.writeString(config, "{\"dataDir\": \"" + data + "\", \"coapPort\": 0}");
        int port = FreePort.find();
        String uri = "tcp://127.0.0.1:" + port;
        // job("..."), as ftpipe broker options.
        List<String> args = BrokerRestartRun.brokerArguments(new FaultRun.Setup("cnn", 3, 32, SAMPLES, 7, REPLICATION,
                Schedule.GPIPE, 4), port, home, config);
        try (BrokerProcess first = BrokerProcess.start(home, "broker-1.log", args)) {
            first.awaitListening(60_000);
            cluster.launchDevices(uri, "restart-", 3);
            AtomicLong done = new AtomicLong();
            try (StatusWatcher ignored = StatusWatcher.follow(uri, "status-watcher", st -> done.set(st.done()))) {
                await().atMost(Duration.ofMinutes(5)).until(() -> done.get() >= 170);
            }
            first.kill();
        }
        List<Path> damaged = damageNewestReplicas(data);
        try (BrokerProcess second = BrokerProcess.start(home, "broker-2.log", args)) {
            Path job = await().atMost(Duration.ofMinutes(10)).until(() -> ended(data), Objects::nonNull);
            assertFalse(Files.exists(job.resolve("failure.txt")), () -> "the job failed: " + read(job.resolve(
                    "failure.txt")));
            JobReport r = BrokerRestartRun.readReport(job.resolve("report.json"));
            for (Path f : damaged) {
                assertTrue(second.output().contains("skipping replica file " + f), f + " skipped:\n" + second.output());
            }
            assertEquals(1, r.recoveries().size(), r.recoveries().toString());
            assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
            double diff = ExportedWeights.maxRelativeDifference(failureFree, ExportedWeights.read(Path.of(r.modelPath())));
            assertTrue(diff <= 1e-6, "max relative difference " + diff + "; recoveries " + r.recoveries());
        }
    }

    /** The folder of the job that ended (with a report or a failure) in {@code data}, or null. */
    private static Path ended(Path data) throws Exception {
        try (var jobs = Files.list(data.resolve("jobs"))) {
            return jobs.filter(j -> Files.exists(j.resolve("report.json")) || Files.exists(j.resolve("failure.txt")))
                    .findFirst().orElse(null);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Flips a byte in the middle of each unit's newest replica file; returns the files. */
    private static List<Path> damageNewestReplicas(Path data) throws Exception {
        Map<String, Path> newest = new TreeMap<>();
        try (var files = Files.walk(data.resolve("jobs"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("unit-\\d+@\\d+\\.replica")).toList()) {
                String name = f.getFileName().toString();
                String unit = name.substring(0, name.indexOf('@'));
                Path held = newest.get(unit);
                if (held == null || iteration(f) > iteration(held)) {
                    newest.put(unit, f);
                }
            }
        }
        assertFalse(newest.isEmpty(), "replica files in " + data);
        for (Path f : newest.values()) {
            byte[] bytes = Files.readAllBytes(f);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(f, bytes);
        }
        return List.copyOf(newest.values());
    }

    private static long iteration(Path replica) {
        String name = replica.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('@') + 1, name.indexOf(".replica")));
    }

    /**
     * The control: without replaying what is lost, a recovery does not roll back, the restored unit
     * misses updates, and the weights end elsewhere. So the comparison above can tell. Replicas
     * every 24 micro-batches put the newest before the kill at 120, a step before where the job
     * resumes (128): every 8, one came at each step's end, and whether the kill lost anything
     * depended on whether step 128's replica had arrived before the 130th micro-batch finished.
     */
    @Test
    @Order(8)
    void withoutTheRollBackTheWeightsDiffer() throws Exception {
        cluster.startDevices("ctl-", 3);
        FaultAt kill = FaultAt.onStage(130, 1, devices -> cluster.kill(devices.toArray(String[]::new)));
        JobReport r = cluster.run(job("sync-control", new JobSpec.Replication(24, 24, false)), kill);
        assertFalse(r.recoveries().isEmpty(), "recovered: " + r.events());
        double diff = ExportedWeights.maxRelativeDifference(failureFree, ExportedWeights.read(Path.of(r.modelPath())));
        assertTrue(diff > 1e-3, "max relative difference " + diff + "; recoveries " + r.recoveries());
    }

    private static JobReport killAndCompare(String id, long killAt,
                                            Function<List<JobReport.Stage>, List<String>> victims) throws Exception {
        FaultAt kill = new FaultAt(killAt, victims, devices -> cluster.kill(devices.toArray(String[]::new)));
        JobReport r = compare(id, kill);
        assertFalse(kill.devices().isEmpty(), "the devices were killed");
        return r;
    }

    /** Runs the job with {@code faults} and compares its end with the failure-free run's. */
    private static JobReport compare(String id, JobListener faults) throws Exception {
        JobReport r = cluster.run(job(id), faults);
        assertFalse(r.recoveries().isEmpty(), "recovered: " + r.events());
        JobReport.Recovery recovery = r.recoveries().get(0);
        assertEquals(1, recovery.sources().values().stream().map(s -> s.replaceAll(" @(\\d+).*", "@$1"))
                .map(s -> s.substring(s.indexOf('@'))).distinct().count(), "every unit from one step: " + recovery);
        assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
        assertEquals(0, r.duplicateMicroBatches());
        assertEquals(0, r.iterationsLost());
        assertEquals(0, r.updatesAppliedTwice());
        double diff = ExportedWeights.maxRelativeDifference(failureFree, ExportedWeights.read(Path.of(r.modelPath())));
        System.err.println(id + ": max relative difference to the failure-free weights " + diff);
        assertTrue(diff <= 1e-6, "weights against the failure-free run: max relative difference " + diff
                + "; recoveries " + r.recoveries());
        return r;
    }
}
