package io.ftpipe.device.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.protocol.StageRules;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.runtime.Pass;
import io.ftpipe.zoo.runtime.StageRuntime;
import io.ftpipe.zoo.runtime.StageSessions;
import io.ftpipe.zoo.runtime.WeightSnapshot;
import io.ftpipe.zoo.stage.StageGraphs;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one stage of one term of a job: takes forwards, labels and backwards as they arrive (in any
 * order), runs them when the {@link Schedule}'s {@link StageRules} allow, and sends what they produce. Not
 * thread-safe: messages are handed to it one at a time.
 */
public final class StageWorker implements AutoCloseable {

    /** A forward whose backward has not run yet. */
    private record InFlight(Pass pass, WeightSnapshot weights, int count) {
    }

    private final OrtEnvironment env;
    private final Message.Assign assignment;
    private final WireTensors tensors;
    private final StageGraphs graphs;
    private final StageRules schedule;
    private final ParamStore store;
    private final StageRuntime runtime;
    private final Optimizer optimizer;
    private final Outbox out;
    private final ComputeClock clock;

    private final TreeMap<Long, Tensor> forwards = new TreeMap<>();
    private final Map<Long, Tensor> labels = new HashMap<>();
    private final TreeMap<Long, Tensor> backwards = new TreeMap<>();
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    private long nextForward;
    private long completed;
    private long trainedThrough;
    /** Which micro-batches' updates each unit of the stage held when the term began. */
    private final HeldUpdates held;
    private long chainReplicated;
    private long globalReplicated;
    private final WeightVersions versions;
    private int accumulated;
    private long accumulatedSamples;
    private Map<String, float[]> gradientSum;
    /** The central node ended this term (a recovery): its stage messages are stale from now on. */
    private boolean ended;
    private boolean closed;

    /** @param sessions for the assignment's graphs; they stay open when this worker closes */
    public StageWorker(OrtEnvironment env, Assignment a, StageSessions sessions, Outbox out, ComputeClock clock)
            throws OrtException {
        this.env = env;
        this.assignment = a.message();
        this.tensors = new WireTensors(env, assignment.wire());
        this.graphs = a.graphs();
        this.schedule = Schedule.named(assignment.schedule()).at(assignment.stage(), assignment.stages(),
                assignment.microBatches());
        this.out = out;
        this.clock = clock;
        this.store = ParamStore.initialize(env, graphs.params().values(), 0);
        this.optimizer = a.optimizer().create();
        for (UnitState u : a.units()) {
            u.apply(store, optimizer);
        }
        this.runtime = new StageRuntime(sessions, graphs, store);
        this.versions = new WeightVersions(env, store);
        this.nextForward = assignment.start();
        this.trainedThrough = assignment.start();
        this.held = HeldUpdates.of(assignment, graphs.from(), graphs.to() - graphs.from(), store);
    }

    public String job() {
        return assignment.job();
    }

    public long term() {
        return assignment.term();
    }

    public int stage() {
        return assignment.stage();
    }

    /** Whether a message of {@code job} and {@code term} belongs to the term this worker runs. */
    public boolean runs(String job, long term) {
        return job.equals(job()) && term == term();
    }

    /** Forward passes run in this term. */
    public long forwards() {
        return nextForward - assignment.start();
    }

    /** Micro-batches whose backward (or, on the last stage, whose whole pass) is finished. */
    public long completed() {
        return completed;
    }

    /** The units' state includes the updates of every micro-batch below this one. */
    public long trainedThrough() {
        return trainedThrough;
    }

    /**
     * Per unit of the stage, in order: the micro-batch below which its state holds every update.
     * A unit that began the term ahead of the stage stays ahead until the stage catches up.
     */
    public List<Long> unitVersions() {
        return held.versions(trainedThrough);
    }

    /** Updates of a micro-batch not applied to a unit that already held them, counted per unit. */
    public long updatesSkipped() {
        return held.skipped();
    }

    public void onForward(Message.Forward m) throws OrtException {
        checkCurrent(m.job(), m.term(), m.iteration());
        if (m.iteration() < nextForward || forwards.containsKey(m.iteration())) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "forward " + m.iteration() + " already seen");
        }
        m.x().check(tensors.dtype(), graphs.inputShape(), assignment.maxBatch());
        forwards.put(m.iteration(), m.x());
        pump();
    }

    public void onLabels(Message.Labels m) throws OrtException {
        checkCurrent(m.job(), m.term(), m.iteration());
        if (!graphs.last()) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "labels sent to stage " + stage() + ", not the last");
        }
        // A duplicate would otherwise wait here for a forward that has already run, for ever.
        if (m.iteration() < nextForward || labels.containsKey(m.iteration())) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "labels " + m.iteration() + " already seen");
        }
        m.labels().check(Tensor.INT64, new long[0], assignment.maxBatch());
        LongBuffer l = m.labels().buffer().asLongBuffer();
        for (int i = 0; i < l.capacity(); i++) {
            if (l.get(i) < 0 || l.get(i) >= graphs.outputShape()[0]) {
                throw new ProtocolException(RejectReason.BAD_SHAPE, "label " + l.get(i) + " out of range");
            }
        }
        labels.put(m.iteration(), m.labels());
        pump();
    }

    public void onBackward(Message.Backward m) throws OrtException {
        checkCurrent(m.job(), m.term(), m.iteration());
        InFlight f = inFlight.get(m.iteration());
        if (graphs.last() || f == null || backwards.containsKey(m.iteration())) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "backward " + m.iteration() + " has no forward here");
        }
        m.dy().check(tensors.dtype(), graphs.outputShape(), assignment.maxBatch());
        if (m.dy().shape()[0] != f.count()) {
            throw new ProtocolException(RejectReason.BAD_SHAPE, "backward batch " + m.dy().shape()[0]
                    + " for a forward of " + f.count());
        }
        backwards.put(m.iteration(), m.dy());
        pump();
    }

    /**
     * Takes no more of this term's stage messages: the units stay as they are now until the next
     * term keeps or replaces them.
     */
    public void endTerm() {
        ended = true;
    }

    /** Which units this stage holds, without their tensors. */
    public List<UnitState> unitSummaries() {
        List<UnitState> units = new ArrayList<>();
        for (int u = graphs.from(); u < graphs.to(); u++) {
            units.add(new UnitState(u, Map.of(), Map.of()));
        }
        return units;
    }

    /** Unit states of this stage (weights, buffers, optimizer state). */
    public List<UnitState> unitStates() {
        List<UnitState> units = new ArrayList<>();
        for (int u = graphs.from(); u < graphs.to(); u++) {
            units.add(UnitState.capture(u, store, optimizer));
        }
        return units;
    }

    private void checkCurrent(String job, long term, long iteration) {
        if (!job.equals(job())) {
            throw new ProtocolException(RejectReason.UNKNOWN_JOB, "job " + job + ", running " + job());
        }
        if (term < term() || (ended && term == term())) {
            throw new ProtocolException(RejectReason.STALE_TERM, "term " + term + (ended ? " has ended" : " < " + term()));
        }
        if (term > term() || iteration < 0) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "term " + term + ", iteration " + iteration);
        }
    }

    /** Runs whatever the schedule allows now: backwards first (1F1B), then the next forward. */
    private void pump() throws OrtException {
        while (true) {
            if (!inFlight.isEmpty() && backwards.containsKey(inFlight.firstKey())) {
                long i = inFlight.firstKey();
                backward(i, backwards.remove(i));
            } else if (forwards.containsKey(nextForward) && schedule.admitsForward(inFlight.size())
                    && (!graphs.last() || labels.containsKey(nextForward))) {
                long i = nextForward++;
                forward(i, forwards.remove(i));
            } else {
                return;
            }
        }
    }

    // Compute is timed around ONNX Runtime and the optimizer only: converting tensors to and from
    // the wire scales with boundary bytes, not with the units held, and the planner charges those
    // bytes to the link.
    private void forward(long i, Tensor x) throws OrtException {
        int n = (int) x.shape()[0];
        WeightSnapshot weights = schedule.stashesWeights() ? versions.acquire() : null;
        try (OnnxTensor input = tensors.floats(x); OnnxTensor y = graphs.last() ? tensors.longs(labels.remove(i)) : null) {
            Stopwatch watch = new Stopwatch();
            Pass pass = held.skipsAny(i) ? runtime.forward(input, y, weights, b -> held.updates(b, i))
                    : runtime.forward(input, y, weights);
            watch.computed(clock, ComputeClock.Step.FORWARD, n);
            inFlight.put(i, new InFlight(pass, weights, n));
            if (graphs.last()) {
                out.toCentral(new Message.Progress(job(), term(), i, stage(), Message.Progress.LOSS,
                        pass.scalar(StageGraphs.LOSS), pass.count(StageGraphs.CORRECT), n));
                backward(i, null);
            } else {
                out.toNextStage(new Message.Forward(job(), term(), i, tensors.wire(pass.tensor(StageGraphs.OUTPUT))));
            }
        }
    }

    private void backward(long i, Tensor dy) throws OrtException {
        InFlight f = inFlight.remove(i);
        try (Pass forwardPass = f.pass(); OnnxTensor grad = dy == null ? null : tensors.floats(dy)) {
            Stopwatch watch = new Stopwatch();
            try (Pass b = runtime.backward(forwardPass, grad == null ? forwardPass.tensor(StageGraphs.LOGITS_GRAD) : grad,
                    f.weights())) {
                watch.computed(clock, ComputeClock.Step.BACKWARD, f.count());
                if (graphs.inputGrad()) {
                    out.toPreviousStage(new Message.Backward(job(), term(), i, tensors.wire(b.tensor(StageGraphs.GRAD_INPUT))));
                }
                Stopwatch optimizerWatch = new Stopwatch();
                step(i, f.count());
                optimizerWatch.computed(clock, ComputeClock.Step.OPTIMIZER, 0);
            }
        } finally {
            if (f.weights() != null) {
                versions.release(f.weights());
            }
        }
        completed++;
        if (accumulated == 0) {
            trainedThrough = i + 1;
            replicate();
        }
        if (graphs.first()) {
            out.toCentral(new Message.Progress(job(), term(), i, stage(), Message.Progress.DONE, 0, 0, f.count()));
        }
    }

    /**
     * Sends replicas when their periods are due, only right after an optimizer step so a replica is
     * always a state the optimizer produced (GPipe accumulates between steps).
     */
    private void replicate() {
        boolean chain = assignment.chainPeriod() > 0 && completed - chainReplicated >= assignment.chainPeriod();
        boolean global = assignment.globalPeriod() > 0 && completed - globalReplicated >= assignment.globalPeriod();
        if (!chain && !global) {
            return;
        }
        // Timed here, not around each send: capturing the units' states is replication's cost too,
        // and all of it is time this thread does not train.
        long started = System.nanoTime();
        Message.Replica r = new Message.Replica(job(), term(), stage(), trainedThrough,
                UnitStatePayloads.encode(unitStates()), unitVersions());
        if (chain) {
            chainReplicated = completed;
            out.replicate(r, true);
        }
        if (global) {
            globalReplicated = completed;
            // The last stage's chain replica has already reached the central node.
            if (!(chain && graphs.last())) {
                out.replicate(r, false);
            }
        }
        out.replicated(System.nanoTime() - started);
    }

    /**
     * An optimizer step now (1F1B), or accumulate until the step's last micro-batch (GPipe), for
     * the units that do not hold micro-batch {@code i}'s update yet. Under GPipe every unit's
     * version is a step boundary, so the step's last micro-batch decides for all of the step.
     */
    private void step(long i, int count) {
        if (schedule.stepsAfterEach()) {
            optimize(i);
            versions.advance();
            return;
        }
        // Each backward gives the mean gradient of its micro-batch; weight by size for the mean of the step.
        if (gradientSum == null) {
            gradientSum = new HashMap<>();
            for (ParamStore.Entry e : store.entries()) {
                if (e.grad() != null) {
                    gradientSum.put(e.name(), new float[e.grad().capacity()]);
                }
            }
        }
        for (ParamStore.Entry e : store.entries()) {
            float[] sum = gradientSum.get(e.name());
            if (sum != null) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += e.grad().get(k) * count;
                }
            }
        }
        accumulated++;
        accumulatedSamples += count;
        if (!schedule.stepsAfter(accumulated)) {
            return;
        }
        for (ParamStore.Entry e : store.entries()) {
            float[] sum = gradientSum.get(e.name());
            if (sum != null) {
                for (int k = 0; k < sum.length; k++) {
                    e.grad().put(k, sum[k] / accumulatedSamples);
                    sum[k] = 0;
                }
            }
        }
        optimize(i);
        accumulated = 0;
        accumulatedSamples = 0;
    }

    private void optimize(long i) {
        if (held.skipsAny(i)) {
            optimizer.step(store, held.skipping(i));
        } else {
            optimizer.step(store);
        }
    }

    /** Idempotent: the tensors it frees are native memory. */
    @Override
    public void close() throws OrtException {
        if (closed) {
            return;
        }
        closed = true;
        inFlight.values().forEach(f -> f.pass().close());
        inFlight.clear();
        versions.close();
        runtime.close();
        store.close();
    }
}
