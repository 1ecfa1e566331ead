package io.ftpipe.broker.central;

import com.codahale.metrics.MetricRegistry;
import io.ftpipe.broker.CentralNode;
import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.UserFiles;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.broker.status.StatusTopics;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.protocol.Rejections;
import io.ftpipe.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The central node: keeps the device registry, runs jobs, and turns device messages into
 * registry updates and job events. Messages are decoded on one thread of its own, so HiveMQ's
 * threads return at once and chunk reassembly needs no locking. What it sees also goes to the
 * status topics ({@link StatusTopics}) and the {@code ftpipe.*} metrics ({@link FtpipeMetrics}).
 */
public final class TrainingCentralNode implements CentralNode {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingCentralNode.class);
    /** The MQTT 5 reason code of a connection replaced by a new one with the same client id. */
    private static final String SESSION_TAKEN_OVER = "SESSION_TAKEN_OVER";

    private final ExtensionConfig config;
    private final CentralPublisher publisher;
    private final java.util.function.LongSupplier clock = System::currentTimeMillis;
    private final DeviceRegistry registry = new DeviceRegistry(clock);
    private final Rejections rejections = new Rejections();
    private final Map<String, JobRun> jobs = new ConcurrentHashMap<>();
    /** Which job holds which device, and the jobs waiting for devices. */
    private final DeviceLeases leases = new DeviceLeases();
    private final StageAssignments assignments = new StageAssignments();
    private final ExecutorService inbox = Executors.newSingleThreadExecutor(r -> daemon(r, "ftpipe-central-inbox"));
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> daemon(r, "ftpipe-job"));
    private final DeviceMessageReader reader;
    private final JobTimeouts timeouts;
    private final FtpipeMetrics metrics;
    private final StatusTopics status;
    private volatile boolean closing;
    private volatile JobWatcher watcher = JobWatcher.NONE;

    /** A node whose metrics go to a registry of its own, which nothing exports (tests, tools). */
    public TrainingCentralNode(ExtensionConfig config, CentralPublisher publisher) {
        this(config, publisher, new MetricRegistry());
    }

    /** @param metrics where the {@code ftpipe.*} metrics go: HiveMQ's registry inside a broker */
    public TrainingCentralNode(ExtensionConfig config, CentralPublisher publisher, MetricRegistry metrics) {
        this(config, publisher, metrics, new JobTimeouts(60_000, 120_000));
    }

    TrainingCentralNode(ExtensionConfig config, CentralPublisher publisher, JobTimeouts timeouts) {
        this(config, publisher, new MetricRegistry(), timeouts);
    }

    private TrainingCentralNode(ExtensionConfig config, CentralPublisher publisher, MetricRegistry metrics,
                                JobTimeouts timeouts) {
        this.config = config;
        this.publisher = publisher;
        this.timeouts = timeouts;
        this.reader = new DeviceMessageReader(config.maxPayloadBytes());
        this.metrics = new FtpipeMetrics(metrics);
        this.metrics.countDevices(() -> registry.alive(config.heartbeatTimeoutMillis()).size(),
                () -> registry.all().size());
        this.status = StatusTopics.start(publisher, registry, config.heartbeatTimeoutMillis(),
                clock, this.metrics::deviceEvent);
    }

    /**
     * The factory an embedded broker takes, also handing each node it creates to {@code created},
     * so the embedding code can submit jobs to it. The node's metrics go to HiveMQ's registry (the
     * factory runs as the extension starts, inside the broker).
     */
    public static io.ftpipe.broker.CentralNodeFactory factory(java.util.function.Consumer<TrainingCentralNode> created) {
        return (config, publisher) -> {
            TrainingCentralNode node = new TrainingCentralNode(config, publisher,
                    io.ftpipe.broker.mqtt.BrokerMetrics.registry());
            created.accept(node);
            return node;
        };
    }

    /**
     * The drop-in's central node: it goes on with the jobs that were running when its broker last
     * stopped or died (their reports land in the data folder).
     */
    public static CentralNode resumingUnfinished(ExtensionConfig config, CentralPublisher publisher,
                                                 MetricRegistry metrics) {
        TrainingCentralNode node = new TrainingCentralNode(config, publisher, metrics);
        try {
            node.resumeUnfinished(JobListener.NONE);
        } catch (IOException e) {
            LOG.error("cannot look for jobs to resume in " + config.dataDir() + ": " + e.getMessage());
        }
        return node;
    }

    /** The folders a job submitted over the management API takes its model and data from. */
    public UserFiles userFiles() {
        return config.userFiles();
    }

    public DeviceRegistry registry() {
        return registry;
    }

    public Rejections rejections() {
        return rejections;
    }

    /** Which stages each device runs now (what the MQTT access rules allow it to use). */
    @Override
    public AssignedStages assignments() {
        return assignments;
    }

    /** Runs {@code listener} whenever {@link #assignments()} change, before the devices are told (StageAssignments#listen). */
    public void whenAssignmentsChange(Runnable listener) {
        assignments.listen(listener);
    }

    /**
     * Tells {@code watcher} about every job from now on: its status changes and its end. One watcher
     * (the management API); {@link JobWatcher#NONE} turns it off.
     */
    public void watch(JobWatcher watcher) {
        this.watcher = java.util.Objects.requireNonNull(watcher, "watcher");
    }

    /** Which job holds which device, and the jobs waiting for devices. */
    public DeviceLeases leases() {
        return leases;
    }

    /** The ids of the jobs running now, in order. */
    public java.util.List<String> runningJobs() {
        return jobs.keySet().stream().sorted().toList();
    }

    /**
     * Stops a running job: it ends with the error "stopped: {@code reason}", and the devices of its
     * current layout are told to drop their stages.
     *
     * @return false if no job {@code job} is running
     */
    public boolean stop(String job, String reason) {
        JobRun run = jobs.get(job);
        if (run == null) {
            return false;
        }
        JobReport.Term layout = run.stop(reason);
        if (layout != null) {
            for (String device : layout.devices()) {
                publisher.publish(Topics.device(device, Topics.COMMAND),
                        MessageCodec.encode(new Message.Stop(job, layout.term(), "stopped: " + reason)), 1, false)
                        .exceptionally(e -> {
                            LOG.warn("could not tell " + device + " to stop job " + job + ": " + e);
                            return null;
                        });
            }
        }
        return true;
    }

    /** Starts a job; the future completes with its report, or with the reason it failed. */
    public CompletableFuture<JobReport> submit(JobSpec spec, JobListener listener) {
        try {
            return start(new JobRun(spec, registry, leases, publisher, config, observed(spec, 0, listener),
                    timeouts, rejections, null, assignments, clock));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Goes on with the jobs that were running when this central node (its broker) last stopped or
     * died, each from its checkpoint in the data folder.
     *
     * @return the resumed jobs, by id
     */
    public Map<String, CompletableFuture<JobReport>> resumeUnfinished(JobListener listener) throws IOException {
        Map<String, CompletableFuture<JobReport>> resumed = new java.util.LinkedHashMap<>();
        for (JobCheckpoint c : JobDirectory.unfinished(config.dataDir())) {
            LOG.info("resuming job " + c.spec().id() + " from its checkpoint");
            resumed.put(c.spec().id(), start(new JobRun(c.spec(), registry, leases, publisher, config,
                    observed(c.spec(), c.position().resumeAt(), listener), timeouts, rejections, c, assignments,
                    clock)));
        }
        return resumed;
    }

    /**
     * The submitter's listener, told after the metrics and the plan topic are: they see every job.
     *
     * @param doneBefore micro-batches finished before this central node took the job over
     */
    private JobListener observed(JobSpec spec, long doneBefore, JobListener listener) {
        return JobListener.both(JobListener.both(JobListener.both(metrics.job(spec.microBatchSize(), doneBefore),
                status.plansOf(spec.id())), watcher.progressOf(spec)), listener);
    }

    /** Where a job's report is written when it completes. */
    public java.nio.file.Path reportPath(String job) {
        return new JobDirectory(config.dataDir(), job).report();
    }

    private CompletableFuture<JobReport> start(JobRun run) {
        if (jobs.putIfAbsent(run.id(), run) != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("job " + run.id() + " exists"));
        }
        if (!run.resumed()) {
            // In submission order, before the job's thread runs: threads may start in any order.
            leases.enqueue(run.id(), run.devicesWanted());
        }
        run.onStatusChanged(status -> tell(() -> watcher.statusChanged(run.id(), status)));
        CompletableFuture<JobReport> result = CompletableFuture.supplyAsync(() -> {
            try {
                JobReport report = run.run();
                run.files().finished(report);
                return report;
            } catch (InterruptedException e) {
                // This central node is closing: the checkpoint stays, and the next one resumes the job.
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            } catch (Exception e) {
                if (!closing) {
                    recordFailure(run, e);
                }
                throw new java.util.concurrent.CompletionException(e);
            } finally {
                jobs.remove(run.id());
                assignments.forget(run.id());
                leases.release(run.id());
            }
        }, runner);
        result.whenComplete((report, error) -> tell(() -> watcher.ended(run.id(), report, unwrap(error))));
        return result;
    }

    /** The job's own exception, not the future's wrapper around it. */
    private static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause()
                : error;
    }

    /** An observer must never break a job. */
    private static void tell(Runnable watcherCall) {
        try {
            watcherCall.run();
        } catch (RuntimeException e) {
            LOG.warn("a job watcher failed: " + e);
        }
    }

    private static void recordFailure(JobRun run, Exception e) {
        try {
            run.files().failed(String.valueOf(e));
        } catch (IOException io) {
            LOG.warn("cannot record that job " + run.id() + " failed: " + io.getMessage());
        }
    }

    /**
     * Tells a device to emulate being {@code slowdown} times slower (benchmarks, tests). The
     * planner learns of it only through the device's measured times.
     */
    public CompletableFuture<Void> emulate(String device, double slowdown) {
        if (!registry.known(device)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown device " + device));
        }
        return publisher.publish(Topics.device(device, Topics.COMMAND),
                MessageCodec.encode(new Message.Emulate(device, slowdown)), 1, false);
    }

    @Override
    public void onDeviceMessage(String clientId, String topic, byte[] payload) {
        inbox.execute(() -> handle(clientId, topic, payload));
    }

    private void handle(String clientId, String topic, byte[] payload) {
        try {
            Message m = reader.read(clientId, payload);
            if (m != null) {
                dispatch(clientId, topic, m);
            }
        } catch (ProtocolException e) {
            rejections.reject(topic, e);
            metrics.rejected(e.reason());
        } catch (RuntimeException e) {
            LOG.warn("failed to handle a message on " + topic + ": " + e);
        }
    }

    private void dispatch(String clientId, String topic, Message m) {
        String device = Topics.deviceOf(topic);
        if (m instanceof Message.Hello h) {
            if (!h.device().equals(device) || !h.device().equals(clientId)) {
                throw new ProtocolException(RejectReason.UNKNOWN_DEVICE, "hello from client " + clientId + " as "
                        + h.device() + " on " + topic);
            }
            if (registry.joined(h)) {
                status.hello(device);
            } else {
                status.heard(device);
            }
            wakeJobs();
        } else if (m instanceof Message.Heartbeat h) {
            if (!h.device().equals(device) || !registry.heartbeat(h)) {
                throw new ProtocolException(RejectReason.UNKNOWN_DEVICE, "heartbeat from " + h.device()
                        + " that never joined");
            }
            JobRun run = jobs.get(h.activity().job());
            if (run != null) {
                run.onHeartbeat(h);
            }
            metrics.heartbeat(h);
            if (Message.Heartbeat.OFFLINE.equals(h.activity().state())) {
                status.gone(device, "last will");
                wakeJobs();
            } else {
                status.heard(device);
            }
        } else {
            String job = JobMessages.jobOf(m);
            JobRun run = job == null ? null : jobs.get(job);
            if (run == null) {
                throw new ProtocolException(RejectReason.UNKNOWN_JOB, "job " + job + " from " + clientId);
            }
            run.onMessage(clientId, m);
        }
    }

    @Override
    public void onConnect(String clientId) {
        registry.connected(clientId);
        if (registry.known(clientId)) {
            status.changed();
        }
    }

    @Override
    public void onDisconnect(String clientId, boolean clientInitiated, String reasonCode) {
        registry.disconnected(clientId);
        if (registry.known(clientId) && SESSION_TAKEN_OVER.equals(reasonCode)) {
            // The same device connected again: its hello on the new connection says what happened.
            status.changed();
        } else if (registry.known(clientId)) {
            status.gone(clientId, "disconnected by the " + (clientInitiated ? "device" : "broker")
                    + (reasonCode.isEmpty() ? "" : " (" + reasonCode + ")"));
        }
        wakeJobs();
    }

    @Override
    public void onConnectionLost(String clientId) {
        registry.disconnected(clientId);
        if (registry.known(clientId)) {
            status.gone(clientId, "connection lost");
        }
        wakeJobs();
    }

    /** A device came, went or restarted: every job looks at its devices again. */
    private void wakeJobs() {
        jobs.values().forEach(JobRun::wake);
    }

    @Override
    public void close() {
        closing = true;
        inbox.shutdownNow();
        runner.shutdownNow();
        status.close();
        metrics.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
