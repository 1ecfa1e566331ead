package io.ftpipe.broker.central;

import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.plan.Plan;
import io.ftpipe.protocol.Chunks;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphs;
import io.ftpipe.zoo.stage.StageGraphsCodec;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A job's terms on its devices, and the only part of a job that talks to them: starts a term
 * (ships every stage, waits for the devices to load it), feeds micro-batches, collects the units'
 * states, tells devices to stop, and waits for what they answer while watching them fail.
 */
final class TermControl {
    static final int CHUNK_BYTES = 4 << 20;
    /** How often a wait looks at the devices' health when nothing wakes it. */
    static final long HEALTH_CHECK_MILLIS = 250;

    private final JobState state;
    private final DeviceRegistry registry;
    private final JobDevices devices;
    private final CentralPublisher publisher;
    private final ExtensionConfig config;
    private final JobTimeouts timeouts;
    private final StageAssignments assignments;
    private final Model model;
    /** Run at every wake-up of a wait ({@link #onEveryWake}). */
    private Runnable waited = () -> {
    };
    /** Stage graphs by unit range [from, to): a term that gives a stage the same units compiles nothing. */
    private final Map<List<Integer>, StageGraphs> compiled = new ConcurrentHashMap<>();
    private long messageIds;
    /** Micro-batches fed and not known finished: how old the oldest is tells a stuck pipeline. */
    private Feeder feeder;

    TermControl(JobState state, DeviceRegistry registry, JobDevices devices, CentralPublisher publisher,
                ExtensionConfig config, JobTimeouts timeouts, StageAssignments assignments, Model model) {
        this.state = state;
        this.registry = registry;
        this.devices = devices;
        this.publisher = publisher;
        this.config = config;
        this.timeouts = timeouts;
        this.assignments = assignments;
        this.model = model;
    }

    void feedsFrom(Feeder feeder) {
        this.feeder = feeder;
    }

    /**
     * What ending a term hands over to the next one, and why.
     *
     * @param start    the new term's first micro-batch
     * @param versions per unit, the micro-batch below which its state holds every update (a unit
     *                 absent is at {@code start})
     * @param resumeAt the first micro-batch not finished; those from {@code start} to it are replayed
     *                 for the units behind, and already counted
     */
    record Handover(Map<Integer, UnitState> states, Set<Integer> kept, long start, String reason,
                    Map<Integer, Long> versions, long resumeAt) {
        /** Every unit at {@code start}, where training goes on. */
        Handover(Map<Integer, UnitState> states, Set<Integer> kept, long start, String reason) {
            this(states, kept, start, reason, Map.of(), start);
        }

        long version(int unit) {
            return versions.getOrDefault(unit, start);
        }
    }

    /**
     * Ships every stage of {@code plan} to its device as a new term starting at micro-batch
     * {@code h.start()} (anything recorded from there on is forgotten: it will be fed again), tells
     * devices left out to stop, and waits until all stages are loaded. Before the stages go out,
     * {@code beforeAssign} runs (the checkpoint: a restarted central node collects from this layout).
     * The job holds the plan's devices from now on, and frees those it no longer uses.
     *
     * @return the new term's layout
     * @throws PipelineBroken if another job took one of the plan's devices (nothing has changed then)
     */
    JobReport.Term start(Plan plan, Handover h, Map<String, JobReport.Capacity> measured, double predicted,
                         Runnable beforeAssign) throws Exception {
        devices.hold(plan.stages().stream().map(io.ftpipe.broker.plan.Stage::device).toList());
        List<JobReport.Stage> stages = new ArrayList<>();
        int[] bounds = new int[plan.stages().size() + 1];
        for (int s = 0; s < plan.stages().size(); s++) {
            var p = plan.stages().get(s);
            stages.add(new JobReport.Stage(s, p.device(), p.from(), p.to(), p.computeMillis(), p.sendMillis()));
            bounds[s + 1] = p.to();
        }
        JobReport.Term layout;
        List<String> leaving = new ArrayList<>();
        synchronized (state) {
            if (state.layout != null) {
                state.layout.devices().stream().filter(d -> stages.stream().noneMatch(s -> s.device().equals(d)))
                        .forEach(leaving::add);
            }
            state.term++;
            state.termStartedHere = true;
            state.termStartMillis = state.clock.getAsLong();
            state.fill.started(state.term, state.termStartMillis);
            state.feeding = false;
            state.progress.rewind(h.resumeAt());
            state.catchUp(h.start(), h.resumeAt());
            state.acks.clear();
            layout = new JobReport.Term(state.term, h.start(), state.seconds(), List.copyOf(stages), predicted,
                    Map.copyOf(measured), h.reason());
            state.layout = layout;
            state.layouts.started(Repartitioning.assignment(layout),
                    state.spec.microBatchSize() * 1000.0 / predicted, h.reason().startsWith(Replans.REASON));
            state.watched = layout.devices();
            state.capacities.forgetSamples();
            assignments.place(state.spec.id(), layout);
        }
        for (String d : leaving) {
            command(d, new Message.Stop(state.spec.id(), layout.term(), "left out of the plan of term "
                    + layout.term()), h.start());
        }
        beforeAssign.run();
        JobSpec spec = state.spec;
        var settings = new Assignments.JobSettings(spec.id(), spec.optimizer(), spec.scheduling(), spec.microBatches(),
                spec.microBatchSize(), spec.replication().chainPeriod(), spec.replication().globalPeriod(), spec.wire());
        for (Message.Assign a : Assignments.forPartition(model, bounds, layout.term(), h.start(), settings, h.states(),
                h.kept(), h.versions(), this::graphs)) {
            command(stages.get(a.stage()).device(), a, h.start());
        }
        try {
            await(() -> state.acks.size() == stages.size(), timeouts.devicesMillis(), "devices to load their stages");
        } catch (TimeoutException e) {
            throw new PipelineBroken(silent(layout.devices(), state.acks.values(), "did not load its stage"),
                    e.getMessage());
        }
        synchronized (state) {
            state.feeding = true;
        }
        return layout;
    }

    /**
     * Tells each device of {@code plan} whose stage would change to build and warm up that stage's
     * sessions now, while this term trains ({@link Message.Prepare}).
     *
     * @return the devices asked; their {@link Message.Prepared} answers collect in {@link JobState#prepared}
     */
    List<String> prepare(Plan plan) {
        synchronized (state) {
            state.prepared.clear();
        }
        List<String> asked = new ArrayList<>();
        List<io.ftpipe.broker.plan.Stage> stages = plan.stages();
        for (int s = 0; s < stages.size(); s++) {
            var p = stages.get(s);
            if (state.layout.stages().stream().anyMatch(now -> now.device().equals(p.device())
                    && now.from() == p.from() && now.to() == p.to())) {
                continue;
            }
            byte[] graphs = StageGraphsCodec.encode(graphs(p.from(), p.to()));
            command(p.device(), new Message.Prepare(state.spec.id(), state.term, s, graphs,
                    state.spec.microBatchSize()), state.iteration);
            asked.add(p.device());
        }
        return asked;
    }

    /**
     * The graphs of units [from, to), compiled once per job: a term that gives a stage the same
     * units again (most recoveries) compiles nothing.
     */
    StageGraphs graphs(int from, int to) {
        return compiled.computeIfAbsent(List.of(from, to), r -> StageCompiler.compile(model, from, to));
    }

    /**
     * Asks {@code from} for their units' states (and the chain replicas they hold); a device that
     * does not answer in time has failed.
     *
     * @param endsTerm ask for summaries, and end the term on the devices asked (a recovery)
     * @return the answers by device, in the order of {@code from}
     */
    Map<String, Message.Weights> collect(List<String> from, boolean endsTerm) throws Exception {
        long request;
        synchronized (state) {
            state.weights.clear();
            request = ++state.collectRequest;
        }
        for (String d : from) {
            command(d, new Message.Collect(state.spec.id(), state.term, request, endsTerm), state.iteration);
        }
        try {
            await(() -> state.weights.keySet().containsAll(from), timeouts.devicesMillis(), "the stages' weights");
        } catch (TimeoutException e) {
            throw new PipelineBroken(silent(from, state.weights.keySet(), "did not send its weights"),
                    e.getMessage());
        }
        synchronized (state) {
            Map<String, Message.Weights> answers = new LinkedHashMap<>();
            from.forEach(d -> answers.put(d, state.weights.get(d)));
            return answers;
        }
    }

    /** Every unit's state from the current term's stages. */
    Map<Integer, UnitState> collectAll() throws Exception {
        Map<Integer, UnitState> all = new TreeMap<>();
        for (Message.Weights w : collect(state.layout.devices(), false).values()) {
            UnitStatePayloads.decode(w.units()).forEach(u -> all.put(u.unit(), u));
        }
        return all;
    }

    /** Tells the current layout's devices that the job is over. */
    void stopAll(String reason) {
        for (JobReport.Stage s : state.layout.stages()) {
            command(s.device(), new Message.Stop(state.spec.id(), state.term, reason), state.iteration);
        }
    }

    /** Sends a micro-batch's images into stage 0 and its labels into the last stage. */
    void feed(long i, Tensor images, Tensor labels) {
        List<JobReport.Stage> stages = state.layout.stages();
        int last = stages.size() - 1;
        String job = state.spec.id();
        send(stages.get(last).device(), Topics.stage(job, last, Topics.LABELS),
                new Message.Labels(job, state.term, i, labels), i);
        send(stages.get(0).device(), Topics.stage(job, 0, Topics.FORWARD),
                new Message.Forward(job, state.term, i, images), i);
    }

    /** Waits until every micro-batch fed so far has finished its forward and backward. */
    void drain(String what) throws Exception {
        await(() -> state.progress.drained(state.iteration), timeouts.stallMillis(), what);
    }

    /** The devices asked that did not answer, as failures. */
    static List<FailureDetector.Failure> silent(List<String> asked, Collection<String> answered, String what) {
        return asked.stream().filter(d -> !answered.contains(d)).map(d -> new FailureDetector.Failure(d, what))
                .toList();
    }

    private void command(String device, Message m, long iteration) {
        send(device, Topics.device(device, Topics.COMMAND), m, iteration);
    }

    /** Publishes to the topic that {@code device} receives on, in pieces that device accepts. */
    private void send(String device, String topic, Message m, long iteration) {
        byte[] bytes = MessageCodec.encode(m);
        // A device of the last layout that has not said hello to a restarted central node is told
        // to stop all the same, in pieces as small as the central node's own limit.
        int limit = registry.known(device) ? registry.maxPayloadBytes(device) : config.maxPayloadBytes();
        int chunkBytes = Chunks.chunkBytesFor(limit, CHUNK_BYTES);
        CompletableFuture<Void> last = null;
        for (byte[] piece : Chunks.split(bytes, chunkBytes, state.spec.id(), state.term, iteration, messageIds++)) {
            last = publisher.publish(topic, piece, 1, false);
        }
        last.orTimeout(30, TimeUnit.SECONDS).join();
    }

    /**
     * Waits for {@code condition} (read under the job's lock), watching the term's devices meanwhile.
     *
     * @throws PipelineBroken if a device of the term failed or a micro-batch is stuck
     * @throws TimeoutException      if the condition does not hold within {@code timeoutMillis}
     * @throws JobFailedException    if the job was stopped or a device reported an error
     */
    void await(BooleanSupplier condition, long timeoutMillis, String what) throws Exception {
        long deadline = state.clock.getAsLong() + timeoutMillis;
        synchronized (state) {
            while (!condition.getAsBoolean()) {
                if (state.failure != null) {
                    throw new JobFailedException(state.failure);
                }
                checkHealth();
                long left = deadline - state.clock.getAsLong();
                if (left <= 0) {
                    throw new TimeoutException("waited " + timeoutMillis + " ms for " + what);
                }
                state.wait(Math.min(left, HEALTH_CHECK_MILLIS));
                waited.run();
            }
        }
    }

    /**
     * Runs {@code r} on the job's thread at every wake-up of a wait: the micro-batches that finish
     * while the job waits (a drain, a collect) are told as they finish, not when the wait is over.
     */
    void onEveryWake(Runnable r) {
        waited = r;
    }

    /** Throws if a device waited on has failed, or the pipeline has stopped finishing micro-batches. */
    private void checkHealth() throws PipelineBroken {
        long now = state.clock.getAsLong();
        List<FailureDetector.Failure> failed = FailureDetector.failed(state.watched, registry::get,
                state.termStartMillis, now, config.heartbeatTimeoutMillis());
        if (!failed.isEmpty()) {
            throw new PipelineBroken(failed, "failed: " + failed);
        }
        long oldest = state.progress.firstUnfinished();
        OptionalLong age = state.feeding ? feeder.ageMillis(oldest) : OptionalLong.empty();
        long idle = FailureDetector.idleMillis(age, now - state.lastDoneMillis);
        if (idle > config.backwardTimeoutMillis()) {
            throw new PipelineBroken(List.of(), "no micro-batch finished for " + idle + " ms (the oldest unfinished, "
                    + oldest + ", fed " + age.getAsLong() + " ms ago)");
        }
    }
}
