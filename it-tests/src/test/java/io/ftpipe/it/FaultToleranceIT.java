package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.cli.bench.BrokerProcess;
import io.ftpipe.cli.bench.BrokerRestartRun;
import io.ftpipe.cli.bench.FaultRun;
import io.ftpipe.cli.bench.StatusWatcher;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Devices killed (SIGKILL) while training: one, two adjacent ones at once (their chain replica dies
 * with them, so the central copy serves), all but one, and one of two that is then started again
 * and must be taken back in at a re-plan. Each job must complete, train every sample of the epoch
 * exactly once once replays are accounted for, and end within a point of the same job without
 * failures. Last, the central node: the broker's JVM killed and started again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {
    private static final int SAMPLES = 19_200;
    private static final int BATCH = 32;
    private static final long SEED = 7;
    /** FTPipeHD's 100 / 200 scaled to a job of 600 micro-batches. */
    private static final JobSpec.Replication REPLICATION = new JobSpec.Replication(25, 50);
    /** The mobilenetv2 jobs' samples, a third of cnn's: it computes about seven times as much per sample. */
    private static final int JOIN_SAMPLES = 6_400;

    @TempDir
    static Path work;
    static Cluster cluster;
    static double failureFree;
    static double mobileNetFailureFree;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(work);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    /** Each job has its own devices: survivors of one job must not become spares of the next. */
    @AfterEach
    void killSurvivors() throws Exception {
        cluster.killAll();
    }

    private static JobSpec job(String id, int devices) {
        return new JobSpec(id, "cnn", devices, "1f1b", BATCH, 1, 1, OptimizerConfig.adam(1e-3, 0), SEED, 0, SAMPLES,
                JobSpec.SPEED_BLIND, REPLICATION);
    }

    /**
     * An adaptive job on two devices, for joining at a re-plan. Not cnn: its conv2 is over half its
     * compute, so a second device is predicted at most about 25 % faster (the re-plan threshold);
     * mobilenetv2's units split about evenly, and a second device is predicted about 45 % faster.
     * GPipe, because its updates do not depend on the layout: the layouts change at micro-batches
     * that depend on timing, and under 1F1B that alone moved this short job's accuracy by up to
     * 0.012 from run to run.
     */
    private static JobSpec mobileNet(String id) {
        return new JobSpec(id, "mobilenetv2", 2, "gpipe", BATCH, 4, 1, OptimizerConfig.adam(1e-3, 0), SEED, 0,
                JOIN_SAMPLES, JobSpec.ADAPTIVE, REPLICATION);
    }

    /** What a test does once the job has recovered from the kill. */
    private interface AfterRecovery {
        void accept(List<String> killed) throws Exception;
    }

    /**
     * Runs {@code spec}; when the job has finished a seeded number of micro-batches, kills the
     * devices {@code victims} picks from the first term's stages.
     */
    private static JobReport runAndKill(JobSpec spec, long seed, Function<List<JobReport.Stage>, List<String>> victims)
            throws Exception {
        return runAndKill(spec, 100 + new Random(seed).nextInt(300), failureFree, victims, killed -> {
        });
    }

    /**
     * Runs {@code spec}; when the job has finished {@code killAt} micro-batches, kills the devices
     * {@code victims} picks from the first term's stages, and once the job has recovered, hands their
     * ids to {@code afterRecovery} on the test's thread while the job goes on. The job must end within
     * a point of {@code reference}, the test accuracy of the same job without failures.
     */
    private static JobReport runAndKill(JobSpec spec, long killAt, double reference,
                                        Function<List<JobReport.Stage>, List<String>> victims,
                                        AfterRecovery afterRecovery) throws Exception {
        FaultAt kill = new FaultAt(killAt, victims, devices -> cluster.kill(devices.toArray(String[]::new)));
        CompletableFuture<JobReport> job = cluster.central().submit(spec, kill);
        await().atMost(Duration.ofMinutes(10)).until(() -> kill.recovered() || job.isDone());
        if (kill.recovered()) {
            afterRecovery.accept(kill.devices());
        }
        JobReport r = job.get(15, TimeUnit.MINUTES);
        List<String> killed = kill.devices();
        assertFalse(killed.isEmpty(), "the devices were killed");
        assertFalse(r.recoveries().isEmpty(), "recovered: " + r.events());
        String failed = String.join(" ", r.recoveries().stream().flatMap(x -> x.failed().stream()).toList());
        for (String id : killed) {
            assertTrue(failed.contains(id), id + " detected as failed: " + r.recoveries());
        }
        JobReport.Term last = r.terms().get(r.terms().size() - 1);
        assertTrue(last.stages().stream().allMatch(s -> cluster.running(s.device())), "no dead device in " + last);
        assertEquals(spec.trainLimit(), r.epochs().get(0).samples(), "every sample trained once in the epoch");
        assertEquals(0, r.duplicateMicroBatches());
        assertTrue(r.replayedMicroBatches() > 0, "in-flight micro-batches were fed again");
        assertTrue(r.recoveries().stream().allMatch(x -> !Double.isNaN(x.resumedAtSeconds())), "training resumed");
        assertEquals(reference, r.testAccuracy(), 0.01, "accuracy against the failure-free run");
        if (spec.replayLost()) {
            assertEquals(0, r.iterationsLost(), "restored units got the updates they lost: " + r.recoveries());
            assertEquals(0, r.updatesAppliedTwice(), "no update applied twice: " + r.recoveries());
        }
        return r;
    }

    @Test
    @Order(1)
    void failureFreeReference() throws Exception {
        cluster.startDevices("ref-", 4);
        JobReport r = cluster.run(job("reference", 4));
        assertEquals(List.of(), r.recoveries());
        assertTrue(r.replicatedBytes() > 0, "replicas were sent");
        failureFree = r.testAccuracy();
    }

    @Test
    @Order(2)
    void oneKilledDevice() throws Exception {
        cluster.startDevices("one-", 4);
        runAndKill(job("one", 4), 11, stages -> List.of(stages.get(1).device()));
    }

    @Test
    @Order(3)
    void twoAdjacentDevicesAtOnceLeaveTheCentralReplica() throws Exception {
        cluster.startDevices("adj-", 4);
        JobReport r = runAndKill(job("adjacent", 4), 12, stages -> List.of(stages.get(1).device(),
                stages.get(2).device()));
        var sources = r.recoveries().get(0).sources();
        assertTrue(sources.values().stream().anyMatch(s -> s.startsWith("central")),
                "stage 1's chain replica died with stage 2: " + sources);
    }

    @Test
    @Order(4)
    void allButOneDevice() throws Exception {
        cluster.startDevices("last-", 3);
        JobReport r = runAndKill(job("all-but-one", 3), 13, stages -> List.of(stages.get(0).device(),
                stages.get(2).device()));
        assertEquals(1, r.stages().size(), "one device trains the whole model: " + r.stages());
    }

    /** The reference for {@link #aDeviceThatJoinsIsTakenInAtTheNextReplan}. */
    @Test
    @Order(5)
    void mobileNetFailureFreeReference() throws Exception {
        cluster.startDevices("mref-", 2);
        JobReport r = cluster.run(mobileNet("mobilenet-reference"));
        assertEquals(List.of(), r.recoveries());
        mobileNetFailureFree = r.testAccuracy();
    }

    /**
     * Issue 5: a device that joins a running job is taken in at a re-plan, not only at a recovery.
     * An adaptive job on two devices loses one and recovers on the other alone, one short of what it
     * asked for. Then a device joins without any stage: the killed one started again under its id,
     * or one the job has never seen. A later re-plan must take it in, as two devices are predicted
     * well over the threshold faster than one.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rejoin", "newcomer"})
    @Order(6)
    void aDeviceThatJoinsIsTakenInAtTheNextReplan(String who) throws Exception {
        cluster.startDevices(who + "-", 2);
        List<String> joined = new ArrayList<>();
        JobReport r = runAndKill(mobileNet(who), 100 + new Random(15).nextInt(100), mobileNetFailureFree,
                stages -> List.of(stages.get(1).device()),
                killed -> joined.addAll(cluster.startDevices(who.equals("rejoin") ? killed : List.of(who + "-late"),
                        id -> Map.of("--broker-url", cluster.broker.serverUri()))));
        String joiner = joined.get(0);
        JobReport.Recovery recovery = r.recoveries().get(0);
        JobReport.Term onOne = r.terms().stream().filter(t -> t.term() == recovery.term()).findFirst().orElseThrow();
        assertEquals(List.of(r.terms().get(0).stages().get(0).device()), onOne.devices(),
                "recovered on the survivor alone");
        var recoveryTerms = r.recoveries().stream().map(JobReport.Recovery::term).toList();
        assertTrue(r.terms().stream().anyMatch(t -> t.term() > recovery.term() && !recoveryTerms.contains(t.term())
                && t.devices().contains(joiner)), joiner + " in a re-plan's term after the recovery: " + r.events());
        String event = "devices [" + joiner + "] join the job at this re-plan";
        assertTrue(r.events().stream().anyMatch(e -> e.endsWith(event)), "the re-plan took " + joiner + " in: "
                + r.events());
    }

    /**
     * Issue 25: a device paused (SIGSTOP) past the heartbeat timeout, as a gateway that swaps or
     * stalls, and resumed once the job has recovered without it. It is the same process, never
     * restarted: it goes on with its old term, whose messages the others reject, and comes back on
     * its own heartbeats; a later re-plan takes it back.
     */
    @Test
    @Order(6)
    void aDevicePausedPastTheHeartbeatTimeoutIsTakenBackAtTheNextReplan() throws Exception {
        cluster.startDevices("paused-", 2);
        FaultAt pause = FaultAt.onStage(100 + new Random(25).nextInt(100), 1,
                devices -> cluster.signal("STOP", devices.get(0)));
        CompletableFuture<JobReport> job = cluster.central().submit(mobileNet("paused"), pause);
        await().atMost(Duration.ofMinutes(10)).until(() -> pause.recovered() || job.isDone());
        String paused = pause.device();
        long pid = cluster.pid(paused);
        cluster.signal("CONT", paused);
        JobReport r = job.get(15, TimeUnit.MINUTES);

        assertTrue(r.recoveries().get(0).failed().get(0).startsWith(paused + " "), r.recoveries().toString());
        assertEquals(pid, cluster.pid(paused), "the same process, resumed, not restarted");
        var recoveryTerms = r.recoveries().stream().map(JobReport.Recovery::term).toList();
        assertTrue(r.terms().stream().anyMatch(t -> t.term() > r.recoveries().get(0).term()
                && !recoveryTerms.contains(t.term()) && t.devices().contains(paused)),
                paused + " in a re-plan's term after the recovery: " + r.events());
        assertEquals(JOIN_SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
        assertEquals(0, r.duplicateMicroBatches());
        assertEquals(0, r.iterationsLost(), r.recoveries().toString());
        assertEquals(0, r.updatesAppliedTwice(), r.recoveries().toString());
        assertEquals(mobileNetFailureFree, r.testAccuracy(), 0.01, "accuracy against the failure-free run");
    }

    /**
     * The central node itself killed: {@code ftpipe broker --train} in a JVM of its own, SIGKILLed
     * mid-job and started again with the same command line, as a service manager would. The
     * devices reconnect by themselves, the job goes on from its checkpoint (no second job), and its
     * report lands in the data folder.
     */
    @Test
    @Order(7)
    void theCentralNodeKilledAndStartedAgain() throws Exception {
        Path home = work.resolve("restart");
        Path data = home.resolve("data");
        Path config = home.resolve("ftpipe-extension.json");
        Files.createDirectories(home);
        Files.writeString(config, "{\"dataDir\": \"" + data + "\", \"heartbeatTimeoutMillis\": 3000, "
                + "\"coapPort\": 0}");
        int port = FreePort.find();
        // The job of job("...", 4), as ftpipe broker options.
        List<String> args = BrokerRestartRun.brokerArguments(new FaultRun.Setup("cnn", 4, BATCH, SAMPLES, SEED,
                REPLICATION), port, home, config);
        long killAt = 100 + new Random(14).nextInt(300);
        String uri = "tcp://127.0.0.1:" + port;
        BrokerProcess first = BrokerProcess.start(home, "broker-1.log", args);
        try (BrokerProcess second = awaitAndKill(first, uri, killAt, home, args)) {
            Path report = await().atMost(Duration.ofMinutes(10))
                    .until(() -> BrokerRestartRun.reports(data), r -> r.size() == 1).get(0);
            JobReport r = BrokerRestartRun.readReport(report);
            assertTrue(second.output().contains("resuming job " + r.job()), second.output());
            var restarts = r.recoveries().stream().filter(x -> x.reason().contains("central node restarted")).toList();
            assertEquals(1, restarts.size(), "one recovery from the restart: " + r.recoveries());
            assertFalse(Double.isNaN(restarts.get(0).resumedAtSeconds()), "training resumed: " + r.events());
            assertTrue(restarts.get(0).resumedFrom() >= killAt - 50, "went on near where it stood, not from the "
                    + "start: " + restarts.get(0));
            assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
            assertEquals(0, r.duplicateMicroBatches());
            assertEquals(0, r.iterationsLost(), "restored units got the updates they lost: " + r.recoveries());
            assertEquals(0, r.updatesAppliedTwice(), "no update applied twice: " + r.recoveries());
            assertEquals(failureFree, r.testAccuracy(), 0.01, "accuracy against the failure-free run");
        } finally {
            first.close();
        }
    }

    /** Starts the devices on the broker JVM, kills that JVM at micro-batch {@code killAt}, starts it again. */
    private static BrokerProcess awaitAndKill(BrokerProcess broker, String uri, long killAt, Path home,
                                              List<String> args) throws Exception {
        broker.awaitListening(60_000);
        cluster.launchDevices(uri, "restart-", 4);
        AtomicLong done = new AtomicLong();
        try (StatusWatcher ignored = StatusWatcher.follow(uri, "status-watcher", s -> done.set(s.done()))) {
            await().atMost(Duration.ofMinutes(5)).untilAsserted(() -> assertTrue(done.get() >= killAt,
                    "micro-batches done: " + done.get() + "\n" + broker.output()));
        }
        broker.kill();
        return BrokerProcess.start(home, "broker-2.log", args);
    }
}
