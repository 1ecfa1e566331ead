package io.ftpipe.cli.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.device.DeviceProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One run of {@code bench faults --scenario broker-restart}: {@code ftpipe broker --train} in a
 * JVM of its own with device JVMs joined to it, SIGKILLed once the job has finished a seeded number
 * of micro-batches and started again at once with the same command line, as a service manager
 * would. The job's progress comes from its retained status topic, its report from the data folder.
 */
public final class BrokerRestartRun {
    private static final long JOB_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(30);

    private BrokerRestartRun() {
    }

    public static FaultRun.Result withKill(FaultRun.Setup setup, long killSeed, Path work, Consumer<String> progress)
            throws Exception {
        long killAt = FaultRun.killAt(killSeed, setup.totalMicroBatches());
        Path data = work.resolve("data");
        Path config = work.resolve("ftpipe-extension.json");
        Files.createDirectories(work);
        // No CoAP API: it would take the same UDP port in every run (and in anything else running).
        Files.writeString(config, "{\"dataDir\": \"" + data.toAbsolutePath() + "\", \"coapPort\": 0}");
        int port = FreePort.find();
        String uri = "tcp://127.0.0.1:" + port;
        List<String> args = brokerArguments(setup, port, work, config);
        Timeline timeline = new Timeline(setup.microBatchSize());
        List<Process> devices = new ArrayList<>();
        BrokerProcess broker = BrokerProcess.start(work, "broker-1.log", args);
        try {
            broker.awaitListening(120_000);
            for (int i = 0; i < setup.devices(); i++) {
                devices.add(DeviceProcess.start("d" + i, Map.of("--broker-url", uri, "--heartbeat-millis",
                        FaultRun.HEARTBEAT_MILLIS), work.resolve("devices")));
            }
            AtomicLong done = new AtomicLong();
            BrokerProcess firstBroker = broker;
            try (StatusWatcher ignored = StatusWatcher.follow(uri, "bench-watcher-1", s -> {
                timeline.add(s.seconds(), s.done());
                done.set(s.done());
            })) {
                awaitUntil(() -> firstBroker.requireRunning() && done.get() >= killAt, JOB_TIMEOUT_MILLIS,
                        "micro-batch " + killAt);
            }
            long killMillis = System.currentTimeMillis();
            broker.kill();
            progress.accept("killed the broker at micro-batch " + done.get() + "; starting it again");
            broker = BrokerProcess.start(work, "broker-2.log", args);
            broker.awaitListening(120_000);
            double listening = (System.currentTimeMillis() - killMillis) / 1e3;
            progress.accept(String.format("the broker listens again %.1f s after the kill", listening));
            BrokerProcess secondBroker = broker;
            try (StatusWatcher ignored = StatusWatcher.follow(uri, "bench-watcher-2",
                    s -> timeline.add(s.seconds(), s.done()))) {
                awaitUntil(() -> secondBroker.requireRunning() && !reports(data).isEmpty(), JOB_TIMEOUT_MILLIS,
                        "the resumed job's report");
            }
            JobReport r = readReport(reports(data).get(0));
            JobReport.Term first = r.terms().get(0);
            return new FaultRun.Result(r, null, timeline, first.atSeconds(), first.stages().size(), killAt,
                    List.of("central node"), (killMillis - r.startedMillis()) / 1e3);
        } catch (Exception e) {
            progress.accept("the run failed: " + e + "\n" + broker.output());
            return new FaultRun.Result(null, String.valueOf(e.getMessage()), timeline, Double.NaN, 0, killAt,
                    List.of("central node"), Double.NaN);
        } finally {
            broker.close();
            devices.forEach(Process::destroyForcibly);
            for (Process p : devices) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * {@code ftpipe broker --train} with the speed-blind job of {@link FaultRun}: broker data
     * in {@code work/broker}, the report of a job it submits in {@code work/run.json}.
     */
    public static List<String> brokerArguments(FaultRun.Setup s, int port, Path relativeWork, Path config) {
        return brokerArguments(s.job("faults"), port, relativeWork, config);
    }

    /** {@code ftpipe broker --train} with {@code spec}, a zoo model's job on its data set (the id is the broker's). */
    public static List<String> brokerArguments(JobSpec spec, int port, Path relativeWork, Path config) {
        // Absolute: the broker process runs in its own work folder.
        Path work = relativeWork.toAbsolutePath();
        JobSpec.Replication replication = spec.replication();
        return List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--work",
                work.resolve("broker").toString(), "--config", config.toAbsolutePath().toString(), "--train", "--report",
                work.resolve("run.json").toString(), "--model", spec.model(), "--devices",
                String.valueOf(spec.devices()), "--schedule", spec.schedule(), "--micro-batches",
                String.valueOf(spec.microBatches()), "--batch-size", String.valueOf(spec.batchSize()), "--epochs",
                String.valueOf(spec.epochs()), "--lr", String.valueOf(spec.optimizer().lr()), "--seed",
                String.valueOf(spec.seed()), "--limit", String.valueOf(spec.trainLimit()), "--planner", spec.planner(),
                "--chain-period", String.valueOf(replication.chainPeriod()), "--global-period",
                String.valueOf(replication.globalPeriod()), replication.replayLost() ? "--replay-lost"
                        : "--no-replay-lost", "--wire-dtype", spec.wireDtype());
    }

    /** The reports of the jobs that finished on a central node with this data folder. */
    public static List<Path> reports(Path data) throws java.io.IOException {
        if (!Files.isDirectory(data.resolve("jobs"))) {
            return List.of();
        }
        try (Stream<Path> jobs = Files.list(data.resolve("jobs"))) {
            return jobs.map(j -> j.resolve("report.json")).filter(Files::exists).toList();
        }
    }

    public static JobReport readReport(Path report) throws java.io.IOException {
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(report.toFile(), JobReport.class);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Condition c, long timeoutMillis, String what) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!c.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new java.util.concurrent.TimeoutException("waited " + timeoutMillis + " ms for " + what);
            }
            Thread.sleep(50);
        }
    }
}
