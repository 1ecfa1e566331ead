package io.ftpipe.it;

import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.centralclient.mqtt.OnMessage;
import io.ftpipe.cli.bench.BrokerRestartRun;
import io.ftpipe.cli.bench.ExportedWeights;
import io.ftpipe.cli.bench.StatusWatcher;
import io.ftpipe.centralclient.CentralClient;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The central node as a client of Debian's mosquitto 2.0 (issue 24): a real broker process with
 * the password and ACL files of {@code ftpipe mosquitto-config}, device JVMs on their own accounts,
 * the central node in this JVM ({@link CentralClient}) or as {@code ftpipe central} in a JVM of its
 * own where it is killed. The broker alone enforces who may publish what. Jobs are short (a hundred
 * micro-batches) so that the class runs in minutes.
 *
 * <p>What the ACL file cannot deny: a device publishing to the forward, backward or replica topic of
 * a stage it does not run (the file cannot follow the layout; MosquittoAcl). The central node
 * narrows those at every term through Mosquitto's dynamic-security plugin when the broker loads it
 * (MosquittoDynamicSecurityIT); a stage's labels, the central node's, are denied here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MosquittoCentralIT {
    private static final int SAMPLES = 3_200;
    private static final int BATCH = 32;
    private static final long SEED = 7;
    /** FTPipeHD's 100 / 200 scaled to a job of a hundred micro-batches. */
    private static final JobSpec.Replication REPLICATION = new JobSpec.Replication(10, 20);
    private static final long KILL_AT = 40;
    /** How {@code ftpipe central --train} names its job (JobDriver); the in-process jobs are named otherwise. */
    private static final String CLI_JOB_PREFIX = "job-";
    private static final List<String> DEVICES = List.of("t-0", "t-1", "t-2", "k-0", "k-1", "k-2", "c-0", "c-1",
            "c-2", "rogue", "bystander");
    /** Admins read every ftpipe topic: one spies on what was delivered, one follows job status. */
    private static final String SPY = "ops";
    private static final String WATCHER = "watch";
    /** A device account without a device process, publishing what {@code rogue} must not read. */
    private static final String BYSTANDER = "bystander";

    @TempDir
    static Path work;
    static MosquittoSite site;
    static DeviceFleet fleet;
    static CentralClient central;
    static MqttClient spy;
    static final List<String> delivered = new CopyOnWriteArrayList<>();
    static double failureFree = Double.NaN;
    static int httpPort;

    @BeforeAll
    static void start() throws Exception {
        site = MosquittoSite.start(work.resolve("site"), DEVICES, List.of(SPY, WATCHER));
        fleet = new DeviceFleet(work.resolve("devices"), site::deviceFlags);
        Path config = site.centralConfig(work.resolve("central").resolve("ftpipe-extension.json"),
                work.resolve("central").resolve("data"));
        httpPort = FreePort.find();
        central = CentralClient.create(site.readCentralConfig(config).withHttp(httpPort, "127.0.0.1"),
                site.centralConnection()).connect();
        spy = site.connect(SPY, collector(delivered));
        IMqttToken granted = spy.subscribe(new MqttSubscription[]{new MqttSubscription(Topics.ROOT + "/#", 1)});
        assertEquals(1, granted.getReasonCodes()[0], "the admin may read every ftpipe topic");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (spy != null) {
            if (spy.isConnected()) {
                spy.disconnect();
            }
            spy.close();
        }
        if (central != null) {
            central.close();
        }
        if (site != null) {
            site.close();
        }
    }

    /** Each job has its own devices: survivors of one job must not become spares of the next. */
    @AfterEach
    void killDevices() throws Exception {
        fleet.killAll();
    }

    /** The job {@code ftpipe central --train} runs with {@link #centralArguments}. */
    private static JobSpec job(String id) {
        return new JobSpec(id, "cnn", 3, "1f1b", BATCH, 1, 1, OptimizerConfig.adam(JobDefaults.LR, 0), SEED, 0,
                SAMPLES, JobSpec.SPEED_BLIND, REPLICATION);
    }

    private static List<String> startDevices(String prefix) throws Exception {
        List<String> ids = fleet.start(prefix, 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> central.node().registry().alive(5000).containsAll(ids));
        return ids;
    }

    @Test
    @Order(1)
    void anIntruderAndForeignTopicsAreRefusedByTheBroker() throws Exception {
        String command = Topics.device("t-0", Topics.COMMAND);
        MosquittoPub intruder = MosquittoPub.run(site.port(), "-i", "intruder", "-t", command, "-m", "x");
        assertNotEquals(0, intruder.exitCode(), intruder.transcript());
        assertTrue(intruder.output().contains("not authorised"), intruder.transcript());

        MosquittoPub guessed = MosquittoPub.run(site.port(), "-u", "t-0", "-P", "guess", "-t", command, "-m", "x");
        assertNotEquals(0, guessed.exitCode(), guessed.transcript());
        assertTrue(guessed.output().contains("not authorised"), guessed.transcript());

        String rogue = "rogue";
        String pw = MosquittoSite.password(rogue);
        List<String> foreign = List.of(Topics.device("t-1", Topics.REPLY), Topics.device("t-1", Topics.HEARTBEAT),
                command, Topics.stage("j0", 1, Topics.LABELS), Topics.job("j0", Topics.STATUS),
                Topics.CENTRAL_EVENTS);
        for (String topic : foreign) {
            MosquittoPub denied = MosquittoPub.run(site.port(), "-V", "mqttv5", "-q", "1", "-u", rogue, "-P", pw,
                    "-t", topic, "-m", "forged");
            // mosquitto_pub 2.0.11 reports the PUBACK's reason code (0x87) but exits 0.
            assertTrue(denied.output().contains("Publish 1 failed: Not authorized"), denied.transcript());
        }
        MosquittoPub admin = MosquittoPub.run(site.port(), "-V", "mqttv5", "-q", "1", "-u", WATCHER, "-P",
                MosquittoSite.password(WATCHER), "-t", command, "-m", "forged");
        assertTrue(admin.output().contains("Publish 1 failed: Not authorized"), "an admin reads but does not "
                + "command: " + admin.transcript());

        // Mosquitto 2.0 grants any subscription and applies the ACL file's read rules to each delivery.
        List<String> overheard = new CopyOnWriteArrayList<>();
        try (AutoCloseable ignored = listen(rogue, overheard, Topics.ROOT + "/#")) {
            // Another device's reply: a heartbeat or hello would make it a device the next job could pick.
            String reply = Topics.device(BYSTANDER, Topics.REPLY);
            MosquittoPub other = MosquittoPub.run(site.port(), "-V", "mqttv5", "-q", "1", "-u", BYSTANDER, "-P",
                    MosquittoSite.password(BYSTANDER), "-t", reply, "-m", "overheard?");
            assertFalse(other.output().contains("failed"), other.transcript());
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains(reply + " overheard?"));
        }
        assertEquals(List.of(), overheard, "a device reads no other device's topics");

        // The same account on its own topic gets through: the refusals were the topics, not the account.
        String own = Topics.device(rogue, Topics.REPLY);
        MosquittoPub allowed = MosquittoPub.run(site.port(), "-V", "mqttv5", "-q", "1", "-u", rogue, "-P", pw,
                "-t", own, "-m", "fine");
        assertEquals(0, allowed.exitCode(), allowed.transcript());
        assertFalse(allowed.output().contains("failed"), allowed.transcript());
        // Mosquitto delivers one client's publishes in order: the refused ones would be here by now.
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains(own + " fine"));
        assertEquals(List.of(), delivered.stream().filter(d -> d.endsWith(" forged") || d.startsWith(command)).toList(),
                "delivered although refused");
    }

    @Test
    @Order(2)
    void aJobTrainsAndExportsUnderTheBrokersAcls() throws Exception {
        startDevices("t-");
        JobReport r = central.node().submit(job("trained"), JobListener.NONE).get(10, TimeUnit.MINUTES);

        assertEquals(3, r.stages().size());
        assertEquals(List.of(), r.recoveries(), "no device was cut off: " + r.events());
        assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once");
        assertEquals(0, central.traffic().refused(), "the broker refused none of the central node's publishes");
        assertTrue(r.testAccuracy() > 0.6, "test accuracy " + r.testAccuracy());
        Map<String, float[]> exported = ExportedWeights.read(Path.of(r.modelPath()));
        var cnn = ModelZoo.cnn();
        assertTrue(exported.keySet().containsAll(cnn.params(0, cnn.size()).keySet()), "the exported model's weights: "
                + exported.keySet());
        assertEquals("mosquitto", central.brokerName());
        assertTrue(central.brokerCounters().getOrDefault("messages", 0L) > 0, central.brokerCounters().toString());
        failureFree = r.testAccuracy();

        // The node's own /metrics, as Prometheus scrapes it with a management account; none without one.
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
        String basic = Base64.getEncoder().encodeToString((WATCHER + ":" + MosquittoSite.password(WATCHER))
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Basic " + basic)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scraped.statusCode(), scraped.body());
        assertTrue(scraped.body().lines().anyMatch(l -> l.startsWith("ftpipe_samples_total ")
                && Double.parseDouble(l.split(" ")[1]) >= SAMPLES), scraped.body());
        assertEquals(401, http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
    }

    @Test
    @Order(3)
    void aKilledDeviceIsDetectedAndTheJobRecovers() throws Exception {
        startDevices("k-");
        FaultAt kill = FaultAt.onStage(KILL_AT, 1, devices -> fleet.kill(devices.get(0)));
        JobReport r = central.node().submit(job("recovered"), kill).get(10, TimeUnit.MINUTES);

        assertEquals(1, r.recoveries().size(), "one recovery: " + r.events());
        List<String> failed = r.recoveries().get(0).failed();
        assertEquals(1, failed.size(), "only the killed device: " + failed);
        assertTrue(failed.get(0).startsWith(kill.device() + " "), failed.get(0));
        assertFalse(Double.isNaN(r.recoveries().get(0).resumedAtSeconds()), "training resumed: " + r.events());
        JobReport.Term last = r.terms().get(r.terms().size() - 1);
        assertTrue(last.stages().stream().allMatch(s -> fleet.running(s.device())), "no dead device in " + last);
        assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
        assertEquals(0, r.duplicateMicroBatches());
        assertTrue(r.replayedMicroBatches() > 0, "in-flight micro-batches were fed again");
        assertEquals(failureFree, r.testAccuracy(), 0.03, "accuracy against the failure-free run");
    }

    /**
     * {@code ftpipe central --train} SIGKILLed mid-job and started again with the same command line,
     * as a service manager would: the devices reconnect on their own, the job goes on from its
     * checkpoint (no second job), its report lands in the data folder. The central node of the
     * tests before goes first: one central node per broker.
     */
    @Test
    @Order(4)
    void theCentralProcessKilledAndStartedAgainResumesTheJob() throws Exception {
        central.close();
        central = null;
        Path home = work.resolve("restart");
        Path data = home.resolve("data");
        Path config = site.centralConfig(home.resolve("ftpipe-extension.json"), data);
        Path password = home.resolve("central-password");
        Files.writeString(password, MosquittoSite.password(MosquittoSite.CENTRAL) + "\n");
        List<String> args = centralArguments(home, config, password);
        CentralProcess firstLife = CentralProcess.start(home, "central-1.log", args);
        try {
            firstLife.awaitConnected(60_000);
            fleet.start("c-", 3);
            AtomicLong done = new AtomicLong();
            try (StatusWatcher ignored = StatusWatcher.follow(site.url(), WATCHER, WATCHER,
                    MosquittoSite.password(WATCHER), s -> {
                        // The jobs before are retained on their status topics too.
                        if (s.job().startsWith(CLI_JOB_PREFIX)) {
                            done.set(s.done());
                        }
                    })) {
                await().atMost(Duration.ofMinutes(5)).until(() -> firstLife.requireRunning() && done.get() >= KILL_AT);
            }
            firstLife.kill();
        } finally {
            firstLife.close();
        }
        assertTrue(BrokerRestartRun.reports(data).isEmpty(), "the job had not finished when its node was killed");
        try (CentralProcess secondLife = CentralProcess.start(home, "central-2.log", args)) {
            Path report = await().atMost(Duration.ofMinutes(10))
                    .until(() -> secondLife.requireRunning() ? BrokerRestartRun.reports(data) : List.<Path>of(),
                            l -> l.size() == 1).get(0);
            JobReport r = BrokerRestartRun.readReport(report);
            assertTrue(secondLife.output().contains("resuming job " + r.job()), secondLife.output());
            var restarts = r.recoveries().stream().filter(x -> x.reason().contains("central node restarted")).toList();
            assertEquals(1, restarts.size(), "one recovery from the restart: " + r.recoveries());
            assertFalse(Double.isNaN(restarts.get(0).resumedAtSeconds()), "training resumed: " + r.events());
            assertTrue(restarts.get(0).resumedFrom() >= KILL_AT - REPLICATION.globalPeriod(),
                    "went on near where it stood, not from the start: " + restarts.get(0));
            assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
            assertEquals(0, r.duplicateMicroBatches());
            assertEquals(failureFree, r.testAccuracy(), 0.03, "accuracy against the failure-free run");
        }
    }

    /** A client of {@code user} subscribed to {@code filter}, adding what it is delivered to {@code into}. */
    private static AutoCloseable listen(String user, List<String> into, String filter) throws MqttException {
        MqttClient client = site.connect(user, collector(into));
        client.subscribe(new MqttSubscription[]{new MqttSubscription(filter, 1)});
        return () -> {
            client.disconnect();
            client.close();
        };
    }

    /** {@code ftpipe central --train} with {@link #job}'s job, on the site's broker, as its central user. */
    private static List<String> centralArguments(Path home, Path config, Path password) {
        Path abs = home.toAbsolutePath();
        List<String> a = new ArrayList<>(List.of("--broker-url", site.url(), "--username", MosquittoSite.CENTRAL,
                "--client-id", MosquittoSite.CENTRAL, "--password-file", password.toAbsolutePath().toString(),
                "--config", config.toAbsolutePath().toString(), "--work", abs.resolve("central").toString(), "--train",
                "--report", abs.resolve("run.json").toString()));
        a.addAll(List.of("--model", "cnn", "--devices", "3", "--schedule", "1f1b", "--batch-size", String.valueOf(BATCH),
                "--epochs", "1", "--lr", String.valueOf(JobDefaults.LR), "--seed", String.valueOf(SEED), "--limit",
                String.valueOf(SAMPLES), "--planner", JobSpec.SPEED_BLIND, "--chain-period",
                String.valueOf(REPLICATION.chainPeriod()), "--global-period",
                String.valueOf(REPLICATION.globalPeriod())));
        return a;
    }

    /** Every arrival as "topic payload". */
    private static OnMessage collector(List<String> into) {
        return (topic, message) -> into.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
    }
}
