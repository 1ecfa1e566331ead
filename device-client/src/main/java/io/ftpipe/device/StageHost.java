package io.ftpipe.device;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.device.stage.Assignment;
import io.ftpipe.device.stage.Outbox;
import io.ftpipe.device.stage.StageWarmUp;
import io.ftpipe.device.stage.WarmUpTimes;
import io.ftpipe.device.stage.StageWorker;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.zoo.stage.StageGraphs;
import io.ftpipe.zoo.stage.StageGraphsCodec;
import io.ftpipe.zoo.runtime.StageSessions;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The one owner of a device's stage: its worker, the ONNX Runtime sessions it runs on, and the
 * chain replicas held for the stage before it. Native sessions are opened and closed only here,
 * under one lock, and a session is closed only after the worker using it: a command that stops the
 * stage and a shutdown closing the device (two threads) can no longer both close the same session.
 * After {@link #close} every command is refused.
 */
final class StageHost implements AutoCloseable {
    private final OrtEnvironment env;
    private final int threads;
    private final StageClock clock;
    private final HeldReplicas held = new HeldReplicas();
    /** Read without the lock by the heartbeat, which only asks it for counters. */
    private volatile StageWorker worker;
    /** The last stage's sessions, kept while this device may get the same stage in a new term. */
    private StageSessions sessions;
    /** Sessions of the stage the next term will bring, built while the current one trains. */
    private final SessionsAhead<Prepared> ahead = new SessionsAhead<>();
    private boolean closed;

    /** Sessions built ahead, warmed up, and their warm-up runs for the clock of the term that takes them. */
    private record Prepared(StageSessions sessions, WarmUpTimes warmUp) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            sessions.close();
        }
    }

    StageHost(OrtEnvironment env, int threads, StageClock clock) {
        this.env = env;
        this.threads = threads;
        this.clock = clock;
    }

    /** The stage running now, or null; for counters and checks that need no lock. */
    StageWorker worker() {
        return worker;
    }

    /**
     * Runs the assignment's stage from now on, sending through {@code out}: the units it keeps are
     * taken from the stage it ran, the sessions reused if they run the same graphs.
     *
     * @return the acknowledgement for the central node
     */
    synchronized Message.Ack assign(Assignment given, Outbox out, String device) throws Exception {
        requireOpen();
        Assignment a = withKeptUnits(given);
        release();
        prepareSessions(a);
        worker = new StageWorker(env, a, sessions, out, clock);
        held.forJob(a.job());
        return new Message.Ack(a.job(), a.term(), a.stage(), device);
    }

    /**
     * Builds and warms up the sessions of the stage the next term will bring, on the caller's
     * thread and outside the lock, so the stage running now goes on meanwhile.
     *
     * @return the answer for the central node
     */
    Message.Prepared prepare(Message.Prepare p, String device) throws Exception {
        StageGraphs graphs = StageGraphsCodec.decode(p.graphs());
        synchronized (this) {
            requireOpen();
            if (sessions != null && sessions.serves(graphs, threads)) {
                return new Message.Prepared(p.job(), p.term(), p.stage(), device);
            }
        }
        ahead.build(p.graphs(), () -> {
            StageSessions built = StageSessions.open(env, graphs, threads);
            try {
                WarmUpTimes warmUp = new WarmUpTimes();
                StageWarmUp.run(env, built, graphs, p.maxBatch(), warmUp);
                return new Prepared(built, warmUp);
            } catch (Exception e) {
                built.close();
                throw e;
            }
        });
        return new Message.Prepared(p.job(), p.term(), p.stage(), device);
    }

    synchronized void forward(Message.Forward m) throws Exception {
        running().onForward(m);
    }

    synchronized void backward(Message.Backward m) throws Exception {
        running().onBackward(m);
    }

    synchronized void labels(Message.Labels m) throws Exception {
        running().onLabels(m);
    }

    /** A chain replica of the stage before this one; one whose unit states do not decode is malformed. */
    synchronized void keep(Message.Replica r) {
        List<UnitState> units = UnitStatePayloads.decode(r.units());
        StageWorker w = running();
        checkJob(w, r.job(), r.term());
        if (r.term() != w.term() || r.stage() != w.stage() - 1) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "replica of stage " + r.stage() + ", term "
                    + r.term() + " at stage " + w.stage() + ", term " + w.term());
        }
        if (!r.versions().isEmpty() && r.versions().size() != units.size()) {
            throw new ProtocolException(RejectReason.MALFORMED, "replica has " + r.versions().size()
                    + " versions for " + units.size() + " units");
        }
        held.keep(r, units);
    }

    /** The stage's units and the replicas held; a collect that ends the term gets summaries only. */
    synchronized Message.Weights collect(Message.Collect c) {
        StageWorker w = running();
        checkJob(w, c.job(), c.term());
        if (c.endsTerm()) {
            w.endTerm();
        }
        List<UnitState> units = c.endsTerm() ? w.unitSummaries() : w.unitStates();
        return new Message.Weights(w.job(), w.term(), c.request(), w.stage(), w.trainedThrough(),
                UnitStatePayloads.encode(units), c.endsTerm() ? held.summaries() : held.all(), w.unitVersions());
    }

    /** Ends the stage and frees its sessions: the job is over for this device. */
    synchronized void stop(Message.Stop s) throws Exception {
        checkJob(running(), s.job(), s.term());
        release();
        closeSessions();
        ahead.clear();
    }

    /** Idempotent; waits for a command in progress, and refuses every later one. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        release();
        closeSessions();
        ahead.close();
    }

    private StageWorker running() {
        requireOpen();
        StageWorker w = worker;
        if (w == null) {
            throw new ProtocolException(RejectReason.UNKNOWN_JOB, "no stage assigned");
        }
        return w;
    }

    private void requireOpen() {
        if (closed) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "the device is shutting down");
        }
    }

    private static void checkJob(StageWorker w, String job, long term) {
        if (!job.equals(w.job())) {
            throw new ProtocolException(RejectReason.UNKNOWN_JOB, "job " + job);
        }
        if (term < w.term()) {
            throw new ProtocolException(RejectReason.STALE_TERM, "term " + term + " < " + w.term());
        }
    }

    /**
     * Sessions for the assignment's graphs, and the clock started again. A new term that gives
     * this device the stage it ran (as after every recovery that it survives) runs on the same
     * sessions: no session builds, no slow first runs, and the speeds measured on them still hold.
     * Otherwise the sessions built ahead for it ({@link #prepare}, waited for if under way), or new
     * ones, warmed up before the term starts.
     */
    private void prepareSessions(Assignment a) throws Exception {
        boolean same = sessions != null && sessions.serves(a.graphs(), threads);
        Prepared built = ahead.take(a.message().graphs());
        if (same) {
            if (built != null) {
                built.close();
            }
            clock.restart(true);
            return;
        }
        closeSessions();
        if (built != null) {
            sessions = built.sessions();
            clock.restart(false);
            built.warmUp().replay(clock);
            return;
        }
        sessions = StageSessions.open(env, a.graphs(), threads);
        clock.restart(false);
        StageWarmUp.run(env, sessions, a.graphs(), a.message().maxBatch(), clock);
    }

    /**
     * The assignment with the states of the units it tells this device to keep, taken from the
     * stage it runs (frozen since the collect that ended its term).
     *
     * @throws ProtocolException if a unit to keep is not here, or the stage's units are not all given
     */
    private Assignment withKeptUnits(Assignment a) {
        List<UnitState> units = new ArrayList<>(a.units());
        List<Integer> kept = a.message().kept();
        if (!kept.isEmpty()) {
            StageWorker w = worker;
            if (w == null || !w.job().equals(a.job())) {
                throw new ProtocolException(RejectReason.UNEXPECTED, "told to keep units " + kept
                        + " of job " + a.job() + " but runs no stage of it");
            }
            Map<Integer, UnitState> mine = new HashMap<>();
            w.unitStates().forEach(u -> mine.put(u.unit(), u));
            for (int u : kept) {
                if (!mine.containsKey(u)) {
                    throw new ProtocolException(RejectReason.UNEXPECTED, "told to keep unit " + u
                            + ", which stage " + w.stage() + " does not hold");
                }
                units.add(mine.get(u));
            }
        }
        List<Integer> given = units.stream().map(UnitState::unit).sorted().toList();
        List<Integer> stage = IntStream.range(a.graphs().from(), a.graphs().to()).boxed().toList();
        if (!given.equals(stage)) {
            throw new ProtocolException(RejectReason.UNEXPECTED, "assignment of units " + stage + " carries "
                    + given);
        }
        return a.withUnits(units);
    }

    /** The worker first: it holds tensors of the sessions' runs. */
    private void release() throws Exception {
        StageWorker w = worker;
        worker = null;
        if (w != null) {
            w.close();
        }
    }

    private void closeSessions() throws Exception {
        StageSessions s = sessions;
        sessions = null;
        if (s != null) {
            s.close();
        }
    }
}
