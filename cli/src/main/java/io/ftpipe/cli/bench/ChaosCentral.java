package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The central node of a chaos run: {@code ftpipe broker --train} in a JVM of its own, which a fault
 * SIGKILLs and a service manager starts again at once with the same command line. Its job is
 * followed over MQTT, as a dashboard would: the status topic and the devices' heartbeats.
 */
final class ChaosCentral implements AutoCloseable {
    private static final long LISTENING_MILLIS = 120_000;
    private final Path work;
    private final List<String> args;
    private final String uri;
    private final Consumer<StatusWatcher.Status> onStatus;
    private BrokerProcess broker;
    private StatusWatcher status;
    private DeviceRefusals refusals;
    private int starts;

    private ChaosCentral(Path work, List<String> args, String uri, Consumer<StatusWatcher.Status> onStatus) {
        this.work = work;
        this.args = args;
        this.uri = uri;
        this.onStatus = onStatus;
    }

    /** Starts the broker with {@code spec} to train once the devices have joined it on {@code port}. */
    static ChaosCentral start(JobSpec spec, int port, Path work, Consumer<StatusWatcher.Status> onStatus)
            throws Exception {
        Files.createDirectories(work);
        Path config = work.resolve("ftpipe-extension.json");
        // No CoAP API: it would take the same UDP port in every run (and in anything else running).
        Files.writeString(config, "{\"dataDir\": \"" + data(work).toAbsolutePath() + "\", \"coapPort\": 0}");
        ChaosCentral central = new ChaosCentral(work, BrokerRestartRun.brokerArguments(spec, port, work, config),
                "tcp://127.0.0.1:" + port, onStatus);
        try {
            central.launch();
            return central;
        } catch (Exception e) {
            central.close();
            throw e;
        }
    }

    private static Path data(Path work) {
        return work.resolve("data");
    }

    private void launch() throws Exception {
        starts++;
        broker = BrokerProcess.start(work, "broker-" + starts + ".log", args);
        broker.awaitListening(LISTENING_MILLIS);
        status = StatusWatcher.follow(uri, "chaos-status-" + starts, onStatus);
        refusals = DeviceRefusals.follow(uri, "chaos-heartbeats-" + starts);
    }

    String uri() {
        return uri;
    }

    /**
     * SIGKILL, then started again; returns once it listens. Meanwhile {@link #failure} waits: the
     * killed broker is not one that exited.
     */
    synchronized void killAndRestart() throws Exception {
        closeWatchers();
        broker.kill();
        launch();
    }

    /** Messages the devices have refused, as their latest heartbeats say. */
    long refused() {
        return refusals.total();
    }

    /** The job's report once it has completed. */
    synchronized Optional<JobReport> report() throws IOException {
        List<Path> reports = BrokerRestartRun.reports(data(work));
        return reports.isEmpty() ? Optional.empty() : Optional.of(BrokerRestartRun.readReport(reports.get(0)));
    }

    /** Why the job failed, once it has; or why the broker exited. */
    synchronized Optional<String> failure() throws IOException {
        Path jobs = data(work).resolve("jobs");
        if (Files.isDirectory(jobs)) {
            try (Stream<Path> all = Files.list(jobs)) {
                Optional<Path> failed = all.map(j -> j.resolve("failure.txt")).filter(Files::exists).findFirst();
                if (failed.isPresent()) {
                    return Optional.of(Files.readString(failed.get()).strip());
                }
            }
        }
        try {
            broker.requireRunning();
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void closeWatchers() throws Exception {
        if (status != null) {
            status.close();
        }
        if (refusals != null) {
            refusals.close();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            closeWatchers();
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
