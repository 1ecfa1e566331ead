package io.ftpipe.broker.central;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.plan.DeviceCapacity;
import io.ftpipe.broker.plan.Link;
import io.ftpipe.broker.plan.Newcomers;
import io.ftpipe.broker.plan.Plan;
import io.ftpipe.broker.plan.Planner;
import io.ftpipe.broker.plan.Replan;
import io.ftpipe.broker.plan.StageAssignment;
import io.ftpipe.broker.plan.UnitCost;
import io.ftpipe.protocol.Chunks;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Rejections;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.export.InferenceExporter;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphs;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;
import io.ftpipe.zoo.train.LocalTrainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * One job, driven by the central node: waits for devices, starts with the speed-blind split,
 * ships each device its stage, feeds micro-batches (at most as many in flight as the schedule
 * allows), and, for an adaptive job, re-plans from the devices' measured capacities: it drains the
 * pipeline, collects every unit's weights and optimizer state, and starts a new term with the new
 * layout, so every sample is still trained exactly once. When devices fail (or the pipeline
 * stalls) it recovers: a new term on the devices left, each unit's state from the newest surviving
 * copy (see {@link Restore}), and the unfinished micro-batches fed again. After each epoch it
 * evaluates the collected weights on the test set; at the end it exports the model. Device events
 * arrive on other threads through {@link #onMessage}, {@link #onHeartbeat} and {@link #wake}.
 */
final class JobRun {
    private static final Logger LOG = Logger.getLogger(JobRun.class.getName());
    static final int CHUNK_BYTES = 4 << 20;
    /** How often an adaptive job looks at the measured capacities. */
    static final long REPLAN_CHECK_MILLIS = 2_000;
    /**
     * A new plan must be predicted this much faster (relative) than the current one: above the
     * noise of measured capacities (on a shared 2-core machine, equal devices measure up to 20 %
     * apart), so that the layout does not flap between near-equal plans.
     */
    static final double REPLAN_THRESHOLD = 0.25;
    /** Fresh measurements of every planned device a re-plan waits for, so it never acts on one glitch. */
    static final long FRESH_SAMPLES = 2;
    /** Link rate assumed for a device none of whose boundaries has been timed yet (10 MB/s). */
    static final double DEFAULT_BYTES_PER_MILLI = 10_000;
    /** How often a wait looks at the devices' health when nothing wakes it. */
    static final long HEALTH_CHECK_MILLIS = 250;
    /**
     * How long a resumed job waits for its devices to come back after the central node restarted:
     * devices retry every second at most, so this leaves room for a slow start. One not back by then is
     * failed (and can join later).
     */
    static final long RETURN_GRACE_MILLIS = 15_000;
    /** At most this often the job's position goes to disk: what a restarted central node replays. */
    static final long CHECKPOINT_MILLIS = 200;
    /** Besides at every event, the retained status is refreshed this often while training. */
    static final long STATUS_MILLIS = 1_000;
    /** Fixed cost of one message through the broker. */
    static final double LINK_LATENCY_MILLIS = 1;

    private final JobSpec spec;
    private final DeviceRegistry registry;
    private final CentralPublisher publisher;
    private final ExtensionConfig config;
    private final JobListener listener;
    private final Duration timeouts;
    private final Rejections rejections;
    private final List<String> events = new ArrayList<>();
    /** Wall clock, as a restarted central node goes on with the same job's times. */
    private final long startedMillis;
    private final Object lock = new Object();
    private final JobDirectory files;
    /** Where a restarted central node found this job, or null for a job submitted afresh. */
    private final JobCheckpoint resume;
    /** Where the MQTT access rules learn which stage topics each device may use. */
    private final StageAssignments assignments;

    // Guarded by lock: what the devices told us, and the layout their messages are checked against.
    private final Map<Integer, String> acks = new HashMap<>();
    private final Map<String, Message.Weights> weights = new HashMap<>();
    private long collectRequest;
    private final CapacityTracker capacities = new CapacityTracker();
    private ProgressLedger progress = new ProgressLedger();
    private String failure;
    private long term;
    /**
     * This process started the current term. A restarted central node takes no progress of its
     * predecessor's term: a micro-batch finishing then may have had its loss reported before the
     * restart, and the ledger would count it finished but never lost, waiting for it for ever.
     */
    private boolean termStartedHere;
    private JobReport.Term layout;
    /** Written by the job's thread, read by heartbeats' threads. */
    private volatile List<UnitCost> costs = List.of();
    /** Stage graphs by unit range [from, to). */
    private final Map<List<Integer>, StageGraphs> compiled = new ConcurrentHashMap<>();
    /** The thread count the costs were measured with: a restarted central node reads them again. */
    private volatile int referenceThreads;

    private final List<JobReport.Term> terms = new ArrayList<>();
    private final List<JobReport.Recovery> recoveries = new ArrayList<>();
    private long termStartMillis;
    /** The devices whose failure breaks what the job waits for now. */
    private List<String> watched = List.of();
    /** Micro-batches are in flight, so one stuck for long means the pipeline is broken. */
    private boolean feeding;
    /** What the devices replicated during this job (bytes and time), from their heartbeats. */
    private final JobReplication replicated = new JobReplication();
    private long messageIds;
    private List<String> devices = List.of();
    private double migrationMillis;
    private final List<JobReport.Epoch> epochs = new ArrayList<>();
    private long epochStartedMillis;
    private double trainSeconds;
    private long lastCheckpointMillis;
    private long lastStatusMillis;
    private String lastEvent = "";
    /** Told of each status published (the management API, through the central node). */
    private volatile java.util.function.Consumer<Map<String, Object>> statusChanged = status -> {
    };

    // The job thread's own.
    private final ReplicaStore replicas;
    private final java.util.concurrent.ExecutorService replicaWriter = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "ftpipe-replica-writer");
                t.setDaemon(true);
                return t;
            });
    /** Devices that failed, with the start of the term they failed in: a hello since brings one back. */
    private final Map<String, Long> failedDevices = new HashMap<>();
    private Model model;
    private Feeder feeder;
    private long iteration;
    /** GPipe: the first micro-batch of the step in progress, where a recovery resumes. */
    private long stepStart;

    /** Devices failed or the pipeline stalled: the job must recover before it can go on. */
    static final class PipelineBroken extends Exception {
        final List<FailureDetector.Failure> failures;

        PipelineBroken(List<FailureDetector.Failure> failures, String why) {
            super(why);
            this.failures = failures;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** How long to wait for devices, acknowledgements and progress. */
    record Duration(long devicesMillis, long stallMillis) {
    }

    /** @param resume where a restarted central node found the job, or null to start it afresh */
    JobRun(JobSpec spec, DeviceRegistry registry, CentralPublisher publisher, ExtensionConfig config,
           JobListener listener, Duration timeouts, Rejections rejections, JobCheckpoint resume,
           StageAssignments assignments) {
        this.spec = spec;
        this.assignments = assignments;
        this.registry = registry;
        this.publisher = publisher;
        this.config = config;
        this.listener = listener;
        this.timeouts = timeouts;
        this.rejections = rejections;
        this.resume = resume;
        this.files = new JobDirectory(config.dataDir(), spec.id());
        if (resume == null) {
            this.startedMillis = System.currentTimeMillis();
            this.replicas = ReplicaStore.fresh(files.replicas());
            return;
        }
        // The store kept what the devices replicated before the restart.
        this.replicas = new ReplicaStore(files.replicas());
        this.startedMillis = resume.startedMillis();
        this.devices = resume.devices();
        this.term = resume.term();
        this.layout = resume.layout();
        if (layout != null) {
            assignments.place(spec.id(), layout);
        }
        this.progress = ProgressLedger.resumed(resume.position());
        this.iteration = resume.fed();
        this.stepStart = resume.position().resumeAt();
        this.epochStartedMillis = resume.epochStartedMillis();
        this.trainSeconds = resume.trainSeconds();
        this.epochs.addAll(resume.epochs());
        this.terms.addAll(resume.terms());
        this.recoveries.addAll(resume.recoveries());
        this.events.addAll(resume.events());
        replicated.resumeFrom(resume.replicatedSince());
    }

    String id() {
        return spec.id();
    }

    /** Told of every status this job publishes (on the job's thread), from the next one on. */
    void onStatusChanged(java.util.function.Consumer<Map<String, Object>> listener) {
        statusChanged = listener;
    }

    /**
     * Ends the job from outside: the next wait of the job thread fails with "stopped: reason".
     *
     * @return the current layout, whose devices should be told to stop (null before the first term)
     */
    JobReport.Term stop(String reason) {
        synchronized (lock) {
            failure = "stopped: " + reason;
            lock.notifyAll();
            return layout;
        }
    }

    /** A device's reply or a stage's progress for this job (any thread). */
    void onMessage(String device, Message m) {
        synchronized (lock) {
            if (m instanceof Message.Ack a && a.term() == term) {
                acks.put(a.stage(), device);
            } else if (m instanceof Message.Weights w && w.request() == collectRequest) {
                weights.put(device, w);
            } else if (m instanceof Message.Replica r && r.term() == term) {
                // On a thread of its own: the disk's fsyncs must not hold up the devices' progress.
                replicaWriter.execute(() -> UnitStatePayloads.decode(r.units()).forEach(u -> replicas.put(
                        new ReplicaStore.Replica(u.unit(), r.iteration(), r.term(), u))));
            } else if (m instanceof Message.DeviceError e) {
                failure = "device " + device + ": " + e.reason();
            } else if (m instanceof Message.Progress p && p.term() == term && termStartedHere) {
                progress.record(p);
                int last = recoveries.size() - 1;
                // The first micro-batch finished after a recovery is when training is back.
                if (Message.Progress.DONE.equals(p.kind()) && last >= 0
                        && Double.isNaN(recoveries.get(last).resumedAtSeconds())) {
                    recoveries.set(last, recoveries.get(last).resumed(seconds()));
                }
            }
            lock.notifyAll();
        }
    }

    /** Something changed about some device (it connected, left, said hello): look again. */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** A heartbeat of a device working on this job: its measured speed (any thread). */
    void onHeartbeat(Message.Heartbeat h) {
        synchronized (lock) {
            replicated.heartbeat(h);
            // A resumed job knows its layout before it has profiled the units: no speed to measure yet.
            if (layout == null || h.activity().term() != term || costs.isEmpty()) {
                return;
            }
            for (JobReport.Stage s : layout.stages()) {
                if (s.device().equals(h.device())) {
                    capacities.heartbeat(h, referenceMillis(s.from(), s.to()));
                }
            }
        }
    }

    JobReport run() throws Exception {
        try {
            return train();
        } finally {
            // The last checkpoint must not land after the job's outcome.
            replicaWriter.shutdown();
            replicaWriter.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    JobDirectory files() {
        return files;
    }

    private JobReport train() throws Exception {
        model = ModelZoo.create(spec.model());
        if (spec.synthetic() == 0) {
            FashionMnist.requirePresent(config.datasetDir());
        }
        // The data loads while the job waits for its devices: after a broker restart they are back
        // before it is, and training resumes a second sooner. The test set loads after the
        // training set, not beside it: on JDK 17 a large allocation that needs a GC while another
        // thread keeps entering the inflater's JNI critical sections can fail with
        // OutOfMemoryError ("Retried waiting for GCLocker too often"), as one bench JVM did.
        CompletableFuture<Dataset> trainLoad = CompletableFuture.supplyAsync(this::trainSet);
        CompletableFuture<Dataset> testLoad = trainLoad.thenApplyAsync(train -> testSet());
        feeder = new Feeder(() -> loaded(trainLoad), spec.seed(), this::send, System::currentTimeMillis);
        long resumeAt = 0;
        if (resume == null) {
            files.clearOutcome();
            start();
        } else {
            resumeAt = resume.position().resumeAt();
            resumeAfterRestart();
        }

        Dataset train = loaded(trainLoad);
        Dataset test = loaded(testLoad);
        int micro = spec.microBatchSize();
        long perEpoch = microBatchesPerEpoch(train.size(), spec.batchSize(), micro);
        long total = perEpoch * spec.epochs();
        listener.started(total);

        Map<Integer, UnitState> states = Map.of();
        long nextCheck = System.currentTimeMillis() + REPLAN_CHECK_MILLIS;
        iteration = epochs.size() * perEpoch;
        for (int epoch = epochs.size(); epoch < spec.epochs(); epoch++) {
            if (resume == null || epoch > resume.epoch()) {
                epochStartedMillis = System.currentTimeMillis();
                resetLoss();
            }
            feeder.newEpoch(epoch);
            for (int from = 0; from < train.size(); from += spec.batchSize()) {
                int batchEnd = Math.min(train.size(), from + spec.batchSize());
                long stepMicroBatches = (batchEnd - from + micro - 1) / micro;
                if (iteration + stepMicroBatches <= resumeAt) {
                    // Trained before the central node restarted.
                    iteration += stepMicroBatches;
                    continue;
                }
                stepStart = iteration;
                for (int m = from; m < batchEnd; m += micro) {
                    long i = iteration;
                    if (i < resumeAt) {
                        iteration++;
                        continue;
                    }
                    // Stage 0 enforces the 1F1B limit itself; feeding two further keeps its next input
                    // queued there instead of a broker round trip away, and a drain short.
                    survive(() -> await(() -> i - progress.done() < allowedInFlight(), timeouts.stallMillis(),
                            "micro-batch " + (i - allowedInFlight()) + " to finish"));
                    synchronized (lock) {
                        feeder.forgetBefore(Math.min(stepStart, progress.firstUnfinished()));
                    }
                    feeder.feed(i, m, Math.min(micro, batchEnd - m));
                    iteration++;
                }
                if (spec.scheduling().accumulates()) {
                    survive(() -> drain("the step to flush"));
                }
                report();
                checkpoint(false);
                // Between steps, so GPipe's accumulation never straddles two layouts.
                if (spec.adaptive() && System.currentTimeMillis() >= nextCheck) {
                    nextCheck = System.currentTimeMillis() + REPLAN_CHECK_MILLIS;
                    survive(() -> maybeReplan(total - iteration));
                }
            }
            survive(() -> drain("the epoch's last micro-batches"));
            report();
            double seconds = (System.currentTimeMillis() - epochStartedMillis) / 1e3;
            states = surviving(this::collectAll);
            LocalPipeline.BatchResult eval = evaluate(values(states), test);
            JobReport.Epoch result;
            synchronized (lock) {
                result = new JobReport.Epoch(epoch + 1, progress.loss(), progress.accuracy(), eval.loss(),
                        (double) eval.correct() / test.size(), seconds, progress.samples());
                epochs.add(result);
                trainSeconds += seconds;
            }
            checkpoint(true);
            listener.epochDone(result);
            event("epoch " + (epoch + 1) + ": " + result.samples() + " samples, test accuracy "
                    + String.format("%.4f", result.testAccuracy()));
        }

        Path out = files.model();
        InferenceExporter.write(model, values(states), out);
        for (JobReport.Stage s : layout.stages()) {
            command(s.device(), new Message.Stop(spec.id(), term, "job complete"), iteration);
        }
        event("job complete; model written to " + out);
        long samples = (long) train.size() * spec.epochs();
        synchronized (lock) {
            JobReplication.Counts replication = replicated.total();
            return new JobReport(spec.id(), spec.model(), spec.schedule(), startedMillis, devices, layout.stages(),
                    List.copyOf(terms), List.copyOf(epochs), epochs.get(epochs.size() - 1).testAccuracy(),
                    samples / trainSeconds,
                    seconds(), progress.duplicates(), capacities.snapshot(), recosted(),
                    List.copyOf(recoveries), recoveries.stream().mapToLong(JobReport.Recovery::replayed).sum(),
                    replication.bytes(), replication.millis() / 1e3, List.copyOf(events), rejections.snapshot(),
                    out.toString());
        }
    }

    /** A new job: the devices it asked for, split speed-blind (nothing is measured yet). */
    private void start() throws Exception {
        event("job " + spec.id() + " submitted: " + spec.model() + ", " + spec.devices() + " devices, "
                + spec.schedule() + ", " + spec.planner() + " planner");
        devices = waitForDevices();
        costs = profile(registry.threads(devices.get(0)));
        List<String> first = devices.subList(0, Math.min(devices.size(), model.size()));
        Plan initial = Planner.speedBlind(costs, first.stream().map(d -> new DeviceCapacity(d, 1, memory(d))).toList(),
                link());
        try {
            startTerm(initial, Assignments.initialUnits(model, spec.seed()), Set.of(), 0, System.nanoTime(), Map.of(),
                    "speed-blind start: reference compute balanced, device speeds not yet measured");
        } catch (PipelineBroken broken) {
            recover(broken);
        }
    }

    /**
     * The central node restarted while the job ran. The devices kept their stages and the chain
     * replicas they hold, the store kept the central replicas: once the term's devices are back (or
     * the grace period is over), this is a recovery in which only the devices that did not come
     * back are lost.
     */
    private void resumeAfterRestart() throws Exception {
        event("the central node restarted: resuming job " + spec.id() + " from micro-batch "
                + resume.position().resumeAt());
        // Read and compiled while the devices come back: a cold JVM takes a second or so over each.
        CompletableFuture.runAsync(() -> layout.stages().forEach(st -> graphs(st.from(), st.to())));
        CompletableFuture<List<UnitCost>> profile = resume.referenceThreads() > 0
                ? CompletableFuture.supplyAsync(() -> profile(resume.referenceThreads())) : null;
        List<String> back = waitForReturn(layout.devices());
        costs = profile != null ? loaded(profile) : profile(registry.threads(back.get(0)));
        synchronized (lock) {
            // Devices take no term older than theirs, and the last checkpoint may predate a term start.
            for (String d : back) {
                heartbeatFor(d).ifPresent(h -> term = Math.max(term, h.activity().term()));
            }
            termStartMillis = System.currentTimeMillis();
        }
        List<FailureDetector.Failure> gone = layout.devices().stream().filter(d -> !back.contains(d))
                .map(d -> new FailureDetector.Failure(d, "not back after the central node restarted")).toList();
        recover(new PipelineBroken(gone, "the central node restarted"));
    }

    /**
     * Waits until all of {@code expected} are back (said hello and a heartbeat since), or the grace
     * period is over and some device is; then the devices alive that are back.
     */
    private List<String> waitForReturn(List<String> expected) throws Exception {
        long grace = System.currentTimeMillis() + RETURN_GRACE_MILLIS;
        long deadline = System.currentTimeMillis() + Math.max(RETURN_GRACE_MILLIS, timeouts.devicesMillis());
        while (true) {
            List<String> alive = registry.alive(config.heartbeatTimeoutMillis()).stream()
                    .filter(d -> registry.get(d).map(x -> x.lastHeartbeat() != null).orElse(false)).toList();
            if (alive.containsAll(expected) || (!alive.isEmpty() && System.currentTimeMillis() > grace)) {
                event("devices back: " + alive + " (the last term had " + expected + ")");
                return alive;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new TimeoutException("no device came back after the central node restarted");
            }
            Thread.sleep(100);
        }
    }

    /** The device's latest heartbeat, if it was about a stage of this job. */
    private Optional<Message.Heartbeat> heartbeatFor(String device) {
        return registry.get(device).map(DeviceRegistry.Device::lastHeartbeat)
                .filter(h -> spec.id().equals(h.activity().job()));
    }

    /** Micro-batches in an epoch: each batch in micro-batches of {@code micro} samples, the last one short. */
    static long microBatchesPerEpoch(int samples, int batchSize, int micro) {
        long n = 0;
        for (int from = 0; from < samples; from += batchSize) {
            n += (Math.min(batchSize, samples - from) + micro - 1) / micro;
        }
        return n;
    }

    /**
     * Persists where the job stands, at most every {@link #CHECKPOINT_MILLIS} unless {@code now};
     * written on the replica writer's thread, after the replicas queued before it.
     */
    private void checkpoint(boolean now) {
        if (!now && System.currentTimeMillis() - lastCheckpointMillis < CHECKPOINT_MILLIS) {
            return;
        }
        lastCheckpointMillis = System.currentTimeMillis();
        JobCheckpoint c;
        synchronized (lock) {
            c = new JobCheckpoint(spec, startedMillis, devices, term, layout, progress.position(resumePoint()),
                    iteration, epochStartedMillis, trainSeconds, List.copyOf(epochs), List.copyOf(terms),
                    List.copyOf(recoveries), replicated.firsts(), List.copyOf(events), referenceThreads);
        }
        replicaWriter.execute(() -> {
            try {
                files.checkpoint(c);
            } catch (java.io.IOException e) {
                LOG.warning("cannot write the checkpoint of job " + spec.id() + ": " + e.getMessage());
            }
        });
    }

    /** Where training goes on after a break: the first unfinished micro-batch; under GPipe, its step's first. */
    private long resumePoint() {
        long first = progress.firstUnfinished();
        return spec.scheduling().accumulates() && first < iteration ? Math.min(first, stepStart) : first;
    }

    private int allowedInFlight() {
        return spec.scheduling().feedLimit(layout.stages().size(), spec.microBatches());
    }

    /** Runs {@code step}, recovering and running it again as often as devices fail under it. */
    private void survive(Step step) throws Exception {
        surviving(() -> {
            step.run();
            return null;
        });
    }

    /** {@link #survive} for a step with a result. */
    private <T> T surviving(java.util.concurrent.Callable<T> step) throws Exception {
        while (true) {
            try {
                return step.call();
            } catch (PipelineBroken broken) {
                recover(broken);
            }
        }
    }

    /** Every unit's state from the current term's stages. */
    private Map<Integer, UnitState> collectAll() throws Exception {
        Map<Integer, UnitState> all = new TreeMap<>();
        for (Message.Weights w : collect(layout.devices(), false).values()) {
            UnitStatePayloads.decode(w.units()).forEach(u -> all.put(u.unit(), u));
        }
        return all;
    }

    /**
     * A new term on the devices that are left: each unit from its newest surviving copy, the layout
     * planned for the survivors, and every micro-batch not finished fed again from the first of them.
     */
    private void recover(PipelineBroken broken) throws Exception {
        long detected = System.nanoTime();
        double detectedAt = seconds();
        List<FailureDetector.Failure> failures = new ArrayList<>(broken.failures);
        event("term " + term + " broken: " + broken.getMessage());
        while (true) {
            // Devices often fail together (a gateway rack loses power): name all that are gone.
            List<String> listed = failures.stream().map(FailureDetector.Failure::device).toList();
            List<String> others = layout.devices().stream().filter(d -> !listed.contains(d)).toList();
            failures.addAll(FailureDetector.failed(others, registry::get, termStartMillis, System.currentTimeMillis(),
                    config.heartbeatTimeoutMillis()));
            for (FailureDetector.Failure f : failures) {
                failedDevices.put(f.device(), termStartMillis);
            }
            List<String> pool = usableDevices();
            if (pool.isEmpty()) {
                throw new JobFailedException("no device left to train on; failed: " + failures);
            }
            long resumeAt;
            synchronized (lock) {
                resumeAt = resumePoint();
            }
            try {
                // A restarted device is in the pool again, but it has nothing to give.
                List<String> lost = failures.stream().map(FailureDetector.Failure::device).toList();
                List<String> survivors = layout.devices().stream()
                        .filter(d -> pool.contains(d) && !lost.contains(d) && holdsStage(d)).toList();
                synchronized (lock) {
                    watched = survivors;
                    feeding = false;
                }
                // Summaries first: a unit that stays with its device is kept there, and only the
                // units that move travel (after a broker restart, usually none).
                Map<String, Message.Weights> answers = new LinkedHashMap<>(collect(survivors, true));
                Plan plan = recoveryPlan(pool, survivors);
                Map<Integer, Restore.Source> sources = Restore.choose(model.size(), answers, replicas.all());
                Set<Integer> kept = Restore.keptInPlace(sources, owners(plan.assignment()));
                Set<String> fetch = Restore.toFetch(sources, kept);
                if (!fetch.isEmpty()) {
                    answers.putAll(collect(List.copyOf(fetch), false));
                    sources = Restore.choose(model.size(), answers, replicas.all());
                }
                Map<Integer, UnitState> states = new TreeMap<>();
                Map<Integer, String> from = new TreeMap<>();
                sources.forEach((u, src) -> {
                    if (!kept.contains(u)) {
                        states.put(u, src.state());
                    }
                    from.put(u, src.kind() + " @" + src.iteration() + (kept.contains(u) ? ", kept" : ""));
                });
                long replayed = iteration - resumeAt;
                String reason = "recovery from " + (failures.isEmpty() ? "a stalled pipeline" : failures);
                devices = pool;
                startTerm(plan, states, kept, resumeAt, detected, Map.of(), reason);
                synchronized (lock) {
                    recoveries.add(new JobReport.Recovery(term, detectedAt, Double.NaN,
                            failures.stream().map(Object::toString).toList(), broken.getMessage(), resumeAt, replayed,
                            Restore.iterationsLost(sources, resumeAt), from));
                    listener.recovered(recoveries.get(recoveries.size() - 1));
                }
                feeder.replayFrom(resumeAt);
                return;
            } catch (PipelineBroken again) {
                event("recovery interrupted: " + again.getMessage());
                again.failures.stream().filter(f -> failures.stream().noneMatch(g -> g.device().equals(f.device())))
                        .forEach(failures::add);
            }
        }
    }

    /**
     * Has the device a stage of this job to give? It loaded one this term, or its heartbeat says so
     * (after a central node restart, nothing else does). A device that restarted has none.
     */
    private boolean holdsStage(String device) {
        synchronized (lock) {
            return acks.containsValue(device) || heartbeatFor(device).isPresent();
        }
    }

    /** Devices alive that have not failed in this job, or have come back (said hello) since. */
    private List<String> usableDevices() {
        return registry.alive(config.heartbeatTimeoutMillis()).stream()
                .filter(d -> !failedDevices.containsKey(d) || registry.get(d)
                        .map(x -> x.joinedMillis() > failedDevices.get(d)).orElse(false))
                .toList();
    }

    /**
     * The graphs of units [from, to), compiled once per job: a term that gives a stage the same
     * units again (most recoveries) compiles nothing.
     */
    private StageGraphs graphs(int from, int to) {
        return compiled.computeIfAbsent(List.of(from, to), r -> StageCompiler.compile(model, from, to));
    }

    /** Which device holds each unit. */
    private static Map<Integer, String> owners(List<StageAssignment> stages) {
        Map<Integer, String> owners = new HashMap<>();
        stages.forEach(st -> IntStream.range(st.from(), st.to()).forEach(u -> owners.put(u, st.device())));
        return owners;
    }

    /**
     * The layout for a recovery: the pool as measured (unmeasured devices at reference speed),
     * moving as little of what {@code survivors} hold as the fastest plan allows.
     */
    private Plan recoveryPlan(List<String> pool, List<String> survivors) {
        List<DeviceCapacity> caps = pool.stream().limit(Math.min(model.size(), Planner.MAX_DEVICES))
                .map(d -> spec.adaptive() ? measuredCapacity(d).orElse(new DeviceCapacity(d, 1, memory(d)))
                        : new DeviceCapacity(d, 1, memory(d)))
                .toList();
        return spec.adaptive() ? Planner.plan(costs, caps, link(), assignment(layout).stream()
                .filter(s -> survivors.contains(s.device())).toList()) : Planner.speedBlind(costs, caps, link());
    }

    /** The current layout's predicted samples/s with the capacities measured by now. */
    private double recosted() {
        List<DeviceCapacity> measured = new ArrayList<>();
        for (JobReport.Stage s : layout.stages()) {
            Optional<DeviceCapacity> c = measuredCapacity(s.device());
            if (c.isEmpty()) {
                return Double.NaN;
            }
            measured.add(c.get());
        }
        return samplesPerSecond(Planner.predict(costs, measured, link(), assignment(layout)));
    }

    /** A device as the planner sees it, once it has been measured. */
    private Optional<DeviceCapacity> measuredCapacity(String device) {
        OptionalDouble slowdown = capacities.slowdown(device);
        return slowdown.isEmpty() ? Optional.empty() : Optional.of(new DeviceCapacity(device,
                Math.max(DeviceCapacity.MIN_SLOWDOWN, slowdown.getAsDouble()), memory(device)));
    }

    /**
     * Re-plans if the measured capacities call for it: the best plan for them must beat the current
     * layout (costed with the same measurements) by {@link #REPLAN_THRESHOLD} and win back the last
     * migration's cost within the remaining micro-batches.
     */
    private void maybeReplan(long remaining) throws Exception {
        List<DeviceCapacity> measured = new ArrayList<>();
        Map<String, JobReport.Capacity> seen;
        Plan current;
        Optional<Plan> better;
        synchronized (lock) {
            List<String> alive = registry.alive(config.heartbeatTimeoutMillis());
            seen = capacities.snapshot();
            for (JobReport.Stage s : layout.stages()) {
                // Recovering from a device that stopped answering is the fault-tolerance path's job.
                if (capacities.samples(s.device()) < FRESH_SAMPLES || !alive.contains(s.device())) {
                    return;
                }
            }
            devices.stream().filter(alive::contains).map(this::measuredCapacity).flatMap(Optional::stream)
                    .forEach(measured::add);
            Link link = link();
            current = Planner.predict(costs, measured, link, assignment(layout));
            // A job that lost devices takes in ones that joined since (never measured: a typical speed).
            List<String> newcomers = usableDevices().stream().filter(d -> !devices.contains(d)).toList();
            List<DeviceCapacity> candidates = Newcomers.withPrior(measured, newcomers,
                    spec.devices() - (int) devices.stream().filter(alive::contains).count(), this::memory);
            better = Replan.better(costs, candidates, link, current, migrationMillis, remaining, REPLAN_THRESHOLD);
        }
        if (better.isEmpty()) {
            return;
        }
        List<String> joined = better.get().stages().stream().map(io.ftpipe.broker.plan.Stage::device)
                .filter(d -> !devices.contains(d)).toList();
        if (!joined.isEmpty()) {
            event("devices " + joined + " join the job at this re-plan");
            List<String> grown = new ArrayList<>(devices);
            grown.addAll(joined);
            devices = List.copyOf(grown);
        }
        long migrationStart = System.nanoTime();
        drain("the pipeline to drain before re-planning");
        // Drained, the devices' units stand still: those that stay with their device are kept, and
        // only the units that move are collected (from their current owners) and sent.
        Map<Integer, String> before = owners(assignment(layout));
        Map<Integer, String> after = owners(better.get().assignment());
        Set<Integer> kept = new TreeSet<>(before.keySet());
        kept.removeIf(u -> !before.get(u).equals(after.get(u)));
        List<String> giving = before.entrySet().stream().filter(e -> !kept.contains(e.getKey()))
                .map(Map.Entry::getValue).distinct().toList();
        Map<Integer, UnitState> moving = new TreeMap<>();
        for (Message.Weights w : collect(giving, false).values()) {
            UnitStatePayloads.decode(w.units()).stream().filter(u -> !kept.contains(u.unit()))
                    .forEach(u -> moving.put(u.unit(), u));
        }
        startTerm(better.get(), moving, kept, iteration, migrationStart, seen, String.format(
                "measured capacities: predicted %.0f -> %.0f samples/s", samplesPerSecond(current),
                samplesPerSecond(better.get())));
        listener.replanned(layout);
    }

    /**
     * Ships every stage of {@code plan} to its device as a new term starting at micro-batch
     * {@code start} (anything recorded from there on is forgotten: it will be fed again), tells
     * devices left out to stop, and waits until all stages are loaded. The states handed out are
     * also the central node's replicas from then on.
     *
     * @param states the state of every unit not {@code kept}
     * @param kept   units the devices of their new stages hold already
     */
    private void startTerm(Plan plan, Map<Integer, UnitState> states, Set<Integer> kept, long start, long since,
                           Map<String, JobReport.Capacity> measured, String reason) throws Exception {
        List<JobReport.Stage> stages = new ArrayList<>();
        int[] bounds = new int[plan.stages().size() + 1];
        for (int s = 0; s < plan.stages().size(); s++) {
            var p = plan.stages().get(s);
            stages.add(new JobReport.Stage(s, p.device(), p.from(), p.to(), p.computeMillis(), p.sendMillis()));
            bounds[s + 1] = p.to();
        }
        List<String> leaving = new ArrayList<>();
        if (layout != null) {
            layout.devices().stream().filter(d -> stages.stream().noneMatch(s -> s.device().equals(d)))
                    .forEach(leaving::add);
        }
        long newTerm;
        synchronized (lock) {
            newTerm = ++term;
            termStartedHere = true;
            termStartMillis = System.currentTimeMillis();
            feeding = false;
            progress.rewind(start);
            acks.clear();
            layout = new JobReport.Term(newTerm, start, seconds(), List.copyOf(stages), samplesPerSecond(plan),
                    Map.copyOf(measured), reason);
            watched = layout.devices();
            capacities.forgetSamples();
            assignments.place(spec.id(), layout);
        }
        for (String d : leaving) {
            command(d, new Message.Stop(spec.id(), newTerm, "left out of the plan of term " + newTerm), start);
        }
        states.forEach((u, state) -> replicas.put(new ReplicaStore.Replica(u, start, newTerm, state)));
        // A restarted central node collects from this layout (and takes any newer term its devices hold).
        checkpoint(true);
        var settings = new Assignments.JobSettings(spec.id(), spec.optimizer(), spec.scheduling(), spec.microBatches(),
                spec.microBatchSize(), spec.replication().chainPeriod(), spec.replication().globalPeriod());
        for (Message.Assign a : Assignments.forPartition(model, bounds, newTerm, start, settings, states, kept,
                this::graphs)) {
            String d = stages.get(a.stage()).device();
            command(d, a, start);
        }
        try {
            await(() -> acks.size() == stages.size(), timeouts.devicesMillis(), "devices to load their stages");
        } catch (TimeoutException e) {
            throw new PipelineBroken(silent(layout.devices(), acks.values(), "did not load its stage"),
                    e.getMessage());
        }
        migrationMillis = (System.nanoTime() - since) / 1e6;
        synchronized (lock) {
            feeding = true;
        }
        terms.add(layout);
        event(String.format("term %d from micro-batch %d: %s (%s; ready in %.0f ms)", newTerm, start, describe(stages),
                reason, migrationMillis));
        listener.termStarted(layout);
    }

    private static String describe(List<JobReport.Stage> stages) {
        StringBuilder b = new StringBuilder();
        for (JobReport.Stage s : stages) {
            b.append(b.isEmpty() ? "" : ", ").append(s.device()).append(" [").append(s.from()).append(',')
                    .append(s.to()).append(')');
        }
        return b.toString();
    }

    private static List<StageAssignment> assignment(JobReport.Term t) {
        return t.stages().stream().map(s -> new StageAssignment(s.device(), s.from(), s.to())).toList();
    }

    private double samplesPerSecond(Plan p) {
        return spec.microBatchSize() * 1000.0 / p.predictedMillisPerMicroBatch();
    }

    private double referenceMillis(int from, int to) {
        double sum = 0;
        for (int u = from; u < to; u++) {
            sum += costs.get(u).forwardBackwardMillis();
        }
        return sum;
    }

    /** Each device's measured upload rate, or a modest default until it has sent something. */
    private Link link() {
        Map<String, Double> rates = new HashMap<>();
        synchronized (lock) {
            for (String d : devices) {
                capacities.bytesPerMilli(d).ifPresent(r -> rates.put(d, r));
            }
        }
        // A rate is timed at a boundary's sender and covers both directions through the broker.
        return new Link((from, to) -> rates.getOrDefault(from, rates.getOrDefault(to, DEFAULT_BYTES_PER_MILLI)),
                LINK_LATENCY_MILLIS);
    }

    private long memory(String device) {
        return Math.max(1, registry.memoryBytes(device));
    }

    private Dataset trainSet() {
        Dataset d = spec.synthetic() > 0 ? SyntheticDataset.generate(spec.synthetic(), spec.seed())
                : FashionMnist.train(config.datasetDir());
        return d.limit(spec.trainLimit());
    }

    private Dataset testSet() {
        return spec.synthetic() > 0 ? SyntheticDataset.generate(Math.max(100, spec.synthetic() / 5), spec.seed() + 1)
                : FashionMnist.test(config.datasetDir());
    }

    /** The reference profile measured with {@code threads} ONNX Runtime threads, as the devices run. */
    private List<UnitCost> profile(int threads) {
        try {
            List<UnitCost> c = ReferenceProfile.costs(model, spec.microBatchSize(), threads, config.dataDir());
            referenceThreads = threads;
            return c;
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot profile " + model.name() + ": " + e.getMessage(), e);
        }
    }

    /** What was loaded in the background, or what stopped it loading (a missing file, say). */
    private static <T> T loaded(CompletableFuture<T> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Sends a micro-batch's images into stage 0 and its labels into the last stage. */
    private void send(long i, Tensor images, Tensor labels) {
        List<JobReport.Stage> stages = layout.stages();
        int last = stages.size() - 1;
        send(stages.get(last).device(), Topics.stage(spec.id(), last, Topics.LABELS),
                new Message.Labels(spec.id(), term, i, labels), i);
        send(stages.get(0).device(), Topics.stage(spec.id(), 0, Topics.FORWARD),
                new Message.Forward(spec.id(), term, i, images), i);
    }

    /** Waits until every micro-batch fed so far has finished its forward and backward. */
    private void drain(String what) throws Exception {
        await(() -> progress.drained(iteration), timeouts.stallMillis(), what);
    }

    private void report() {
        synchronized (lock) {
            listener.microBatchDone(progress.done(), progress.loss());
        }
        if (System.currentTimeMillis() - lastStatusMillis >= STATUS_MILLIS) {
            publishStatus();
        }
    }

    private void resetLoss() {
        synchronized (lock) {
            progress.newEpoch();
        }
    }

    /**
     * Asks {@code from} for their units' states (and the chain replicas they hold); a device that
     * does not answer in time has failed.
     *
     * @param endsTerm ask for summaries, and end the term on the devices asked (a recovery)
     * @return the answers by device, in the order of {@code from}
     */
    private Map<String, Message.Weights> collect(List<String> from, boolean endsTerm) throws Exception {
        long request;
        synchronized (lock) {
            weights.clear();
            request = ++collectRequest;
        }
        for (String d : from) {
            command(d, new Message.Collect(spec.id(), term, request, endsTerm), iteration);
        }
        try {
            await(() -> weights.keySet().containsAll(from), timeouts.devicesMillis(), "the stages' weights");
        } catch (TimeoutException e) {
            throw new PipelineBroken(silent(from, weights.keySet(), "did not send its weights"), e.getMessage());
        }
        synchronized (lock) {
            Map<String, Message.Weights> answers = new LinkedHashMap<>();
            from.forEach(d -> answers.put(d, weights.get(d)));
            return answers;
        }
    }

    /** The devices asked that did not answer, as failures. */
    private static List<FailureDetector.Failure> silent(List<String> asked, java.util.Collection<String> answered,
                                                        String what) {
        return asked.stream().filter(d -> !answered.contains(d)).map(d -> new FailureDetector.Failure(d, what)).toList();
    }

    private static Map<String, float[]> values(Map<Integer, UnitState> states) {
        Map<String, float[]> all = new LinkedHashMap<>();
        states.values().forEach(u -> all.putAll(u.values()));
        return all;
    }

    private LocalPipeline.BatchResult evaluate(Map<String, float[]> w, Dataset test) throws Exception {
        try (LocalPipeline p = new LocalPipeline(OrtEnvironment.getEnvironment(), model, new int[]{0, model.size()},
                spec.seed(), config.threads())) {
            for (ParamStore.Entry e : p.stages().get(0).store().entries()) {
                float[] v = w.get(e.name());
                if (v == null) {
                    throw new IllegalStateException("no stage sent the weights of " + e.name());
                }
                e.write(v);
            }
            return LocalTrainer.evaluate(p, test);
        }
    }

    private List<String> waitForDevices() throws Exception {
        long deadline = System.currentTimeMillis() + timeouts.devicesMillis();
        while (true) {
            List<String> alive = registry.alive(config.heartbeatTimeoutMillis());
            if (alive.size() >= spec.devices()) {
                List<String> chosen = alive.subList(0, spec.devices());
                event("devices " + chosen + " chosen (alive: " + alive + ")");
                return List.copyOf(chosen);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new JobFailedException("only " + alive.size() + " of " + spec.devices() + " devices joined within "
                        + timeouts.devicesMillis() / 1000 + " s " + alive + "; start more devices (ftpipe device "
                        + "--broker-url ...) or ask for fewer (--devices)");
            }
            Thread.sleep(100);
        }
    }

    private void command(String device, Message m, long iteration) {
        send(device, Topics.device(device, Topics.COMMAND), m, iteration);
    }

    /** Publishes to the topic that {@code device} receives on, in pieces that device accepts. */
    private void send(String device, String topic, Message m, long iteration) {
        byte[] bytes = MessageCodec.encode(m);
        int chunkBytes = Chunks.chunkBytesFor(registry.maxPayloadBytes(device), CHUNK_BYTES);
        CompletableFuture<Void> last = null;
        for (byte[] piece : Chunks.split(bytes, chunkBytes, spec.id(), term, iteration, messageIds++)) {
            last = publisher.publish(topic, piece, 1, false);
        }
        last.orTimeout(30, TimeUnit.SECONDS).join();
    }

    /**
     * Waits for {@code condition}, watching the term's devices meanwhile.
     *
     * @throws PipelineBroken   if a device of the term failed or a micro-batch is stuck
     * @throws TimeoutException if the condition does not hold within {@code timeoutMillis}
     */
    private void await(BooleanSupplier condition, long timeoutMillis, String what) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                if (failure != null) {
                    throw new JobFailedException(failure);
                }
                checkHealth();
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new TimeoutException("waited " + timeoutMillis + " ms for " + what);
                }
                lock.wait(Math.min(left, HEALTH_CHECK_MILLIS));
            }
        }
    }

    /** Throws if a device waited on has failed, or the oldest unfinished micro-batch is stuck. */
    private void checkHealth() throws PipelineBroken {
        long now = System.currentTimeMillis();
        List<FailureDetector.Failure> failed = FailureDetector.failed(watched, registry::get, termStartMillis, now,
                config.heartbeatTimeoutMillis());
        if (!failed.isEmpty()) {
            throw new PipelineBroken(failed, "failed: " + failed);
        }
        long oldest = progress.firstUnfinished();
        OptionalLong age = feeding ? feeder.ageMillis(oldest) : OptionalLong.empty();
        if (age.isPresent() && age.getAsLong() > config.backwardTimeoutMillis()) {
            throw new PipelineBroken(List.of(), "micro-batch " + oldest + " not finished " + age.getAsLong()
                    + " ms after it was fed");
        }
    }

    private double seconds() {
        return (System.currentTimeMillis() - startedMillis) / 1e3;
    }

    private void event(String what) {
        String line = String.format("%.1fs %s", seconds(), what);
        events.add(line);
        LOG.info(line);
        listener.event(what);
        lastEvent = what;
        publishStatus();
    }

    /** The job's state as retained JSON, so any MQTT dashboard sees it without asking. */
    private void publishStatus() {
        lastStatusMillis = System.currentTimeMillis();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("job", spec.id());
        status.put("model", spec.model());
        status.put("schedule", spec.schedule());
        status.put("planner", spec.planner());
        status.put("devices", devices);
        synchronized (lock) {
            status.put("term", term);
            status.put("stages", layout == null ? List.of() : layout.stages());
            status.put("predicted_samples_per_second", layout == null ? null : layout.predictedSamplesPerSecond());
            status.put("capacities", capacities.snapshot());
            status.put("micro_batches_done", progress.done());
            // A copy: the map is read outside the lock (serialised below, kept by listeners), while
            // progress from the devices updates the list.
            status.put("recoveries", List.copyOf(recoveries));
        }
        status.put("last_event", lastEvent);
        status.put("seconds", seconds());
        statusChanged.accept(java.util.Collections.unmodifiableMap(status));
        publisher.publish(Topics.job(spec.id(), Topics.STATUS), io.ftpipe.broker.json.PublishedJson.bytes(status), 1,
                true);
    }
}
