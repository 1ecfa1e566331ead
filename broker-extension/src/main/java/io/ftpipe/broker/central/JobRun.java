package io.ftpipe.broker.central;

import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.plan.Plan;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Rejections;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.state.UnitState;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One job, driven by the central node: the training loop and its checkpoints. It waits for
 * devices, starts with the speed-blind split, feeds micro-batches (at most as many in flight as
 * the schedule allows) and, for an adaptive job, re-plans from the devices' measured capacities;
 * when devices fail it recovers; after each epoch it evaluates the collected weights, and at the
 * end it exports the model. Its parts: {@link JobState} (what it knows), {@link TermControl} (the
 * devices), {@link Recovery}, {@link Repartitioning} (the planner), {@link Replans}, {@link JobStatus}
 * and {@link JobData}.
 */
final class JobRun {
    /** How often an adaptive job looks at the measured capacities. */
    static final long REPLAN_CHECK_MILLIS = 2_000;

    private final JobSpec spec;
    private final DeviceRegistry registry;
    /** The devices this job may use: never another job's. */
    private final JobDevices devices;
    private final JobListener listener;
    private final JobTimeouts timeouts;
    private final Rejections rejections;
    private final JobDirectory files;
    /** Where a restarted central node found this job, or null for a job submitted afresh. */
    private final JobCheckpoint resume;
    private final JobState state;
    private final JobStatus status;
    private final ReplicaStore replicas;
    private final Model model;
    private final JobData data;
    private final TermControl terms;
    private final Repartitioning planner;
    private final Recovery recovery;
    private final Checkpoints checkpoints;
    private final CatchUp catchUp;
    private final Replans replans;
    private Feeder feeder;

    /** @param resume where a restarted central node found the job, or null to start it afresh */
    JobRun(JobSpec spec, DeviceRegistry registry, DeviceLeases leases, CentralPublisher publisher,
           ExtensionConfig config, JobListener listener, JobTimeouts timeouts, Rejections rejections,
           JobCheckpoint resume, StageAssignments assignments, LongSupplier clock) {
        this.spec = spec;
        this.registry = registry;
        this.devices = new JobDevices(spec.id(), registry, leases, config.heartbeatTimeoutMillis());
        this.listener = listener;
        this.timeouts = timeouts;
        this.rejections = rejections;
        this.resume = resume;
        this.files = new JobDirectory(config.dataDir(), spec.id());
        LoadedModel loaded = JobData.model(spec, files, resume == null);
        this.model = loaded.model();
        // The store keeps what the devices replicated before a restart.
        int roundUnits = Recovery.rollsBack(spec) ? model.size() : 0;
        this.replicas = resume == null ? ReplicaStore.fresh(files.replicas(), roundUnits)
                : ReplicaStore.open(files.replicas(), roundUnits);
        this.checkpoints = new Checkpoints(files, replicas);
        this.state = new JobState(spec, clock, resume == null ? clock.getAsLong() : resume.startedMillis(),
                checkpoints::keep);
        this.status = new JobStatus(state, publisher, listener, resume == null ? List.of() : resume.events());
        checkpoints.of(state, status, this::resumePoint);
        this.data = new JobData(spec, config, loaded);
        this.terms = new TermControl(state, registry, devices, publisher, config, timeouts, assignments, model);
        this.planner = new Repartitioning(state, registry::memoryBytes);
        this.catchUp = new CatchUp(spec, state, terms, timeouts, status);
        this.recovery = new Recovery(state, registry, devices, config, terms, planner, replicas, model,
                status, listener);
        this.replans = new Replans(state, status, terms, planner, devices, recovery, listener);
        terms.onEveryWake(status::progressed);
        if (resume != null) {
            state.resume(resume);
            if (state.layout != null) {
                assignments.place(spec.id(), state.layout);
                // Before any new job claims devices: the devices of its last layout are still its own.
                leases.hold(spec.id(), state.layout.devices());
            }
        }
    }

    String id() {
        return spec.id();
    }

    /** Resumed after the central node restarted (it holds its last layout's devices already). */
    boolean resumed() {
        return resume != null;
    }

    int devicesWanted() {
        return spec.devices();
    }

    JobDirectory files() {
        return files;
    }

    /** Told of every status this job publishes (on the job's thread), from the next one on. */
    void onStatusChanged(java.util.function.Consumer<Map<String, Object>> listener) {
        status.onStatusChanged(listener);
    }

    /** @see JobState#stop */
    JobReport.Term stop(String reason) {
        return state.stop(reason);
    }

    void onMessage(String device, Message m) {
        state.onMessage(device, m);
    }

    void wake() {
        state.wake();
    }

    void onHeartbeat(Message.Heartbeat h) {
        state.onHeartbeat(h);
    }

    JobReport run() throws Exception {
        try {
            return train();
        } finally {
            checkpoints.close();
        }
    }

    private JobReport train() throws Exception {
        // The data loads while the job waits for its devices: after a broker restart they are back
        // before it is, and training resumes a second sooner.
        data.load();
        feeder = new Feeder(data::train, spec.seed(), spec.wire(), terms::feed, state.clock);
        terms.feedsFrom(feeder);
        long resumeAt = 0;
        if (resume == null) {
            files.clearOutcome();
            start();
        } else {
            resumeAt = resume.position().resumeAt();
            resumeAfterRestart();
        }

        Dataset train = data.train();
        Dataset test = data.test();
        int micro = spec.microBatchSize();
        long perEpoch = Feeder.microBatchesPerEpoch(train.size(), spec.batchSize(), micro);
        long total = perEpoch * spec.epochs();
        listener.started(total);

        Map<Integer, UnitState> states = Map.of();
        long nextCheck = state.clock.getAsLong() + REPLAN_CHECK_MILLIS;
        state.iteration = state.epochs.size() * perEpoch;
        if (resume == null) {
            state.epochStartedMillis = state.clock.getAsLong();
        }
        for (int epoch = state.epochs.size(); epoch < spec.epochs(); epoch++) {
            feeder.newEpoch(epoch);
            for (int from = 0; from < train.size(); from += spec.batchSize()) {
                int batchEnd = Math.min(train.size(), from + spec.batchSize());
                long stepMicroBatches = (batchEnd - from + micro - 1) / micro;
                if (state.iteration + stepMicroBatches <= resumeAt) {
                    // Trained before the central node restarted.
                    state.iteration += stepMicroBatches;
                    continue;
                }
                state.stepStart = state.iteration;
                for (int m = from; m < batchEnd; m += micro) {
                    long i = state.iteration;
                    if (i < resumeAt) {
                        state.iteration++;
                        continue;
                    }
                    // Stage 0 enforces the 1F1B limit itself; feeding two further keeps its next input
                    // queued there instead of a broker round trip away, and a drain short.
                    survive(() -> terms.await(() -> i - state.progress.done() < state.feedLimit(),
                            timeouts.stallMillis(), "micro-batch " + (i - state.feedLimit()) + " to finish"));
                    synchronized (state) {
                        feeder.forgetBefore(Math.min(state.stepStart, state.progress.firstUnfinished()));
                    }
                    feeder.feed(i, m, Math.min(micro, batchEnd - m));
                    state.iteration++;
                }
                if (spec.scheduling().accumulates()) {
                    survive(() -> terms.drain("the step to flush"));
                }
                status.progressed();
                checkpoints.write(false);
                // Between steps, so GPipe's accumulation never straddles two layouts.
                if (spec.adaptive()) {
                    boolean lookNow = state.clock.getAsLong() >= nextCheck;
                    if (lookNow) {
                        nextCheck = state.clock.getAsLong() + REPLAN_CHECK_MILLIS;
                    }
                    survive(() -> replans.atStepBoundary(total - state.iteration, lookNow, this::startTerm));
                }
            }
            survive(() -> terms.drain("the epoch's last micro-batches"));
            status.progressed();
            double seconds = (state.clock.getAsLong() - state.epochStartedMillis) / 1e3;
            states = surviving(terms::collectAll);
            LocalPipeline.BatchResult eval = data.evaluate(states);
            JobReport.Epoch result;
            synchronized (state) {
                result = new JobReport.Epoch(epoch + 1, state.progress.loss(), state.progress.accuracy(),
                        eval.loss(), (double) eval.correct() / test.size(), seconds, state.progress.samples());
                state.epochDone(result, seconds);
            }
            checkpoints.write(true);
            listener.epochDone(result);
            status.event("epoch " + (epoch + 1) + ": " + result.samples() + " samples, test accuracy "
                    + String.format("%.4f", result.testAccuracy()));
        }

        Path out = files.model();
        data.export(states, out);
        terms.stopAll("job complete");
        status.event("job complete; model written to " + out);
        return report((long) train.size() * spec.epochs(), out);
    }

    private JobReport report(long samples, Path model) {
        synchronized (state) {
            JobReplication.Counts replication = state.replicated.total();
            return new JobReport(spec.id(), spec.model(), spec.schedule(), state.startedMillis, state.devices,
                    state.layout.stages(), List.copyOf(state.terms), List.copyOf(state.epochs),
                    state.epochs.get(state.epochs.size() - 1).testAccuracy(), samples / state.trainSeconds,
                    state.seconds(), state.progress.duplicates(), state.capacities.snapshot(), planner.recosted(),
                    List.copyOf(state.recoveries),
                    state.recoveries.stream().mapToLong(JobReport.Recovery::replayed).sum(),
                    state.recoveries.stream().mapToLong(JobReport.Recovery::iterationsLost).sum(),
                    state.recoveries.stream().mapToLong(JobReport.Recovery::updatesAppliedTwice).sum(),
                    replication.bytes(), replication.millis() / 1e3, status.events(), rejections.snapshot(),
                    model.toString());
        }
    }

    /** A new job: the devices it asked for, split speed-blind (nothing is measured yet). */
    private void start() throws Exception {
        status.event("job " + spec.id() + " submitted: " + spec.model() + ", " + spec.devices() + " devices, "
                + spec.schedule() + ", " + spec.planner() + " planner");
        state.devices = Admission.await(state, devices, status, timeouts.devicesMillis());
        costWith(registry.threads(state.devices.get(0)));
        Plan initial = planner.initial(state.devices);
        try {
            startTerm(initial, new TermControl.Handover(Assignments.initialUnits(model, spec.seed()), Set.of(), 0,
                    "speed-blind start: reference compute balanced, device speeds not yet measured"),
                    state.clock.getAsLong(), Map.of());
        } catch (PipelineBroken broken) {
            recover(broken);
        }
    }

    /**
     * The central node restarted while the job ran: once the last term's devices are back (or the
     * grace period is over), a recovery in which only the devices that did not come back are lost.
     */
    private void resumeAfterRestart() throws Exception {
        status.event("the central node restarted: resuming job " + spec.id() + " from micro-batch "
                + resume.position().resumeAt());
        // Read and compiled while the devices come back: a cold JVM takes a second or so over each.
        CompletableFuture.runAsync(() -> state.layout.stages().forEach(st -> terms.graphs(st.from(), st.to())));
        CompletableFuture<List<io.ftpipe.broker.plan.UnitCost>> profile = resume.referenceThreads() > 0
                ? CompletableFuture.supplyAsync(() -> data.profile(resume.referenceThreads())) : null;
        List<String> back = recovery.waitForReturn(state.layout.devices(), timeouts.devicesMillis());
        if (profile != null) {
            planner.costWith(profile.join(), data.feedBytes());
            checkpoints.profiledWith(resume.referenceThreads());
        } else {
            costWith(registry.threads(back.get(0)));
        }
        recover(recovery.afterRestart(back));
    }

    private void costWith(int threads) {
        planner.costWith(data.profile(threads), data.feedBytes());
        checkpoints.profiledWith(threads);
    }

    /**
     * A new term: the handed-over states become the central node's replicas, the checkpoint is
     * written (a restarted central node collects from this layout), the stages are shipped and
     * loaded, and everyone is told.
     */
    private JobReport.Term startTerm(Plan plan, TermControl.Handover h, long sinceMillis,
                                     Map<String, JobReport.Capacity> measured) throws Exception {
        JobReport.Term layout = terms.start(plan, h, measured, planner.samplesPerSecond(plan), () -> {
            h.states().forEach((u, s) -> checkpoints.store(new ReplicaStore.Replica(u, h.version(u), state.term, s)));
            checkpoints.write(true);
        });
        state.migrationMillis = state.clock.getAsLong() - sinceMillis;
        recovery.takenIn(layout.devices());
        state.terms.add(layout);
        status.event(String.format("term %d from micro-batch %d: %s (%s; ready in %.0f ms)", layout.term(),
                layout.start(), layout.describeStages(), layout.reason(), state.migrationMillis));
        listener.termStarted(layout);
        return layout;
    }

    private void recover(PipelineBroken broken) throws Exception {
        while (true) {
            ReplayPlan replay = recovery.recover(broken, this::resumePoint,
                    (plan, h, since) -> startTerm(plan, h, since, Map.of()));
            try {
                catchUp.run(feeder, data.train().size(), replay.start(), replay.resumeAt());
                feeder.replayFrom(replay.resumeAt());
                return;
            } catch (PipelineBroken again) {
                // The next recovery asks the devices afresh how far each unit got.
                broken = again;
            }
        }
    }

    /** Where training goes on after a break: the first unfinished micro-batch; under GPipe, its step's first. */
    private long resumePoint() {
        long first = state.progress.firstUnfinished();
        return spec.scheduling().accumulates() && first < state.iteration ? Math.min(first, state.stepStart)
                : first;
    }

    private interface Step {
        void run() throws Exception;
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
}
