package io.ftpipe.device;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.device.mqtt.LastWill;
import io.ftpipe.device.mqtt.MqttTransport;
import io.ftpipe.device.config.DeviceConfig;
import io.ftpipe.device.stage.Outbox;
import io.ftpipe.device.stage.StageWarmUp;
import io.ftpipe.device.stage.StageWorker;
import io.ftpipe.protocol.Chunks;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.protocol.Rejections;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.runtime.StageSessions;
import io.ftpipe.zoo.state.UnitState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.logging.Logger;

/**
 * A device: joins the central node, heartbeats, and runs whatever stage it is assigned. All
 * messages are handled on the transport's single delivery thread, in arrival order, so the stage
 * worker needs no locking; only the heartbeat runs on a timer of its own.
 */
public final class DeviceAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeviceAgent.class.getName());
    private static final int CHUNK_BYTES = 4 << 20;
    public static final String VERSION = "0.1.0";

    private final DeviceConfig settings;
    private final Rejections rejections = new Rejections();
    private final Chunks.Assembler assembler;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ftpipe-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong heartbeats = new AtomicLong();
    private final StageClock clock;
    private final BoundaryClock boundary = new BoundaryClock();
    private final List<String> stageTopics = new ArrayList<>();
    private final HeldReplicas held = new HeldReplicas();
    private final AtomicLong replicatedBytes = new AtomicLong();
    /** Time the stages spent replicating (capturing, encoding, publishing), as the stage worker times it. */
    private final AtomicLong replicatedNanos = new AtomicLong();
    private MqttTransport transport;
    private volatile StageWorker worker;
    /** The last stage's sessions, kept while this device may get the same stage in a new term. */
    private StageSessions sessions;
    private long messageIds;

    public DeviceAgent(DeviceConfig settings) {
        this.settings = settings;
        this.assembler = new Chunks.Assembler(Chunks.MAX_MESSAGE_BYTES);
        this.clock = new StageClock(settings.slowdown(), settings.threads() == 1);
    }

    public Rejections rejections() {
        return rejections;
    }

    public void start() {
        byte[] will = MessageCodec.encode(new Message.Heartbeat(settings.id(), -1, Message.Heartbeat.OFFLINE, "", 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        transport = MqttTransport.connect(settings.transportOptions(
                new LastWill(Topics.device(settings.id(), Topics.HEARTBEAT), will, 1, false)));
        transport.subscribe(Topics.device(settings.id(), Topics.COMMAND), 1, (topic, payload) -> receive(topic, payload));
        hello();
        // A restarted central node knows nobody: say hello again, keeping the stage (it can resume).
        // The heartbeat right after tells it which stage that is, so it need not wait a period.
        transport.onReconnect(() -> timer.execute(() -> {
            try {
                hello();
                heartbeat();
            } catch (RuntimeException e) {
                LOG.warning("hello after reconnecting failed: " + e.getMessage());
            }
        }));
        // Fixed delay, not rate: a heartbeat blocked while the broker was away must not be followed
        // by a burst of catch-up heartbeats that reach a restarted central node before the hello.
        timer.scheduleWithFixedDelay(this::heartbeat, 0, settings.heartbeatMillis(), TimeUnit.MILLISECONDS);
        LOG.info("device " + settings.id() + " joined " + settings.brokerUrl());
    }

    private void hello() {
        send(Topics.device(settings.id(), Topics.HELLO), new Message.Hello(settings.id(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), settings.threads(),
                VERSION, settings.maxPayloadBytes()), 0);
    }

    /**
     * On the timer's thread, and after a collect on the delivery thread: one at a time, so that
     * heartbeats leave in sequence and their running totals never go back.
     */
    private synchronized void heartbeat() {
        try {
            StageWorker w = worker;
            send(Topics.device(settings.id(), Topics.HEARTBEAT), new Message.Heartbeat(settings.id(),
                    heartbeats.incrementAndGet(), w == null ? "idle" : "training", w == null ? "" : w.job(),
                    w == null ? 0 : w.term(), w == null ? -1 : w.stage(), clock.meanMillis(), rejections.total(),
                    clock.computeTotalMillis(), clock.sendTotalMillis(), clock.stageMillis(),
                    w == null ? 0 : w.forwards(), w == null ? 0 : w.completed(), clock.sentBytes(),
                    replicatedBytes.get(), replicatedNanos.get() / 1e6, boundary.roundTripMillis(), boundary.bytes()), 0);
        } catch (RuntimeException e) {
            LOG.warning("heartbeat failed: " + e.getMessage());
        }
    }

    /** Every subscribed message: commands and stage inputs. */
    private void receive(String topic, byte[] payload) {
        try {
            Message m = MessageCodec.decode(payload, settings.maxPayloadBytes());
            int size = payload.length;
            if (m instanceof Message.Chunk c) {
                byte[] whole = assembler.add(topic, c);
                if (whole == null) {
                    return;
                }
                m = MessageCodec.decode(whole, Integer.MAX_VALUE);
                size = whole.length;
            }
            timeBoundary(m, size);
            handle(m);
        } catch (ProtocolException e) {
            rejections.reject(topic, e);
        } catch (Exception e) {
            LOG.severe("failed on " + topic + ": " + e);
            StageWorker w = worker;
            if (w != null) {
                send(reply(), new Message.DeviceError(w.job(), w.term(), settings.id(), e.toString()), 0);
            }
        }
    }

    /**
     * Stage messages of the current term start and end the boundaries' round trips. Stage 0's
     * inputs come from the central node, which takes no backward: nothing to time.
     */
    private void timeBoundary(Message m, int size) {
        StageWorker w = worker;
        if (w == null) {
            return;
        }
        long at = transport.arrivedNanos();
        if (m instanceof Message.Forward f && w.stage() > 0 && w.runs(f.job(), f.term())) {
            boundary.forwardArrived(f.iteration(), at);
        } else if (m instanceof Message.Backward b && w.runs(b.job(), b.term())) {
            boundary.backwardArrived(b.iteration(), at, b.heldMillis(), size);
        }
    }

    private void handle(Message m) throws Exception {
        StageWorker w = worker;
        if (m instanceof Message.Assign a) {
            assign(a);
        } else if (m instanceof Message.Emulate e) {
            emulate(e);
        } else if (w == null) {
            throw new ProtocolException(RejectReason.UNKNOWN_JOB, m.getClass().getSimpleName() + " with no stage assigned");
        } else if (m instanceof Message.Forward f) {
            w.onForward(f);
        } else if (m instanceof Message.Backward b) {
            w.onBackward(b);
        } else if (m instanceof Message.Labels l) {
            w.onLabels(l);
        } else if (m instanceof Message.Replica r) {
            checkJob(w, r.job(), r.term());
            if (r.term() != w.term() || r.stage() != w.stage() - 1) {
                throw new ProtocolException(RejectReason.UNEXPECTED, "replica of stage " + r.stage() + ", term "
                        + r.term() + " at stage " + w.stage() + ", term " + w.term());
            }
            held.keep(r);
        } else if (m instanceof Message.Collect c) {
            checkJob(w, c.job(), c.term());
            if (c.endsTerm()) {
                w.endTerm();
            }
            send(reply(), new Message.Weights(w.job(), w.term(), c.request(), w.stage(), w.trainedThrough(),
                    c.endsTerm() ? w.unitSummaries() : w.unitStates(), c.endsTerm() ? held.summaries() : held.all()),
                    c.request());
            // The job's report takes replication from heartbeats, and a job's last round of replicas
            // comes right before its final collect: heartbeat now rather than up to a period later,
            // after the report.
            heartbeat();
        } else if (m instanceof Message.Stop s) {
            checkJob(w, s.job(), s.term());
            LOG.info("stopping job " + s.job() + ": " + s.reason());
            release();
            closeSessions();
        } else {
            throw new ProtocolException(RejectReason.UNEXPECTED, m.getClass().getSimpleName() + " sent to a device");
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

    private void emulate(Message.Emulate e) {
        if (!e.device().equals(settings.id())) {
            throw new ProtocolException(RejectReason.UNKNOWN_DEVICE, "emulate for " + e.device() + " sent to "
                    + settings.id());
        }
        try {
            clock.setSlowdown(e.slowdown());
        } catch (IllegalArgumentException bad) {
            throw new ProtocolException(RejectReason.UNEXPECTED, bad.getMessage());
        }
        LOG.info("emulating slowdown " + e.slowdown());
    }

    private void assign(Message.Assign given) throws Exception {
        Message.Assign a = withKeptUnits(given);
        release();
        int s = a.stage();
        String job = a.job();
        prepareSessions(a);
        boundary.restart();
        worker = new StageWorker(OrtEnvironment.getEnvironment(), a, sessions, new Outbox() {
            @Override
            public void toNextStage(Message.Forward m) {
                long at = System.nanoTime();
                boundary.forwardSent(m.iteration(), at, send(Topics.stage(job, s + 1, Topics.FORWARD), m, m.iteration()));
            }

            @Override
            public void toPreviousStage(Message.Backward m) {
                send(Topics.stage(job, s - 1, Topics.BACKWARD), new Message.Backward(m.job(), m.term(), m.iteration(),
                        m.dy(), boundary.held(m.iteration(), System.nanoTime())), m.iteration());
            }

            @Override
            public void toCentral(Message.Progress m) {
                send(Topics.job(job, Topics.PROGRESS), m, m.iteration());
            }

            @Override
            public void replicate(Message.Replica m, boolean chain) {
                String topic = chain && s + 1 < a.stages() ? Topics.stage(job, s + 1, Topics.REPLICA) : reply();
                replicatedBytes.addAndGet(send(topic, m, m.iteration()));
            }

            @Override
            public void replicated(long nanos) {
                replicatedNanos.addAndGet(nanos);
            }
        }, clock);
        held.forJob(job);
        stageTopics.add(Topics.stage(job, s, Topics.FORWARD));
        if (s > 0) {
            stageTopics.add(Topics.stage(job, s, Topics.REPLICA));
        }
        if (a.graphs().last()) {
            stageTopics.add(Topics.stage(job, s, Topics.LABELS));
        } else {
            stageTopics.add(Topics.stage(job, s, Topics.BACKWARD));
        }
        for (String t : stageTopics) {
            transport.subscribe(t, 1, this::receive);
        }
        LOG.info("running stage " + s + " of " + a.stages() + " (units " + a.graphs().from() + ".." + a.graphs().to()
                + ") of job " + job + ", term " + a.term());
        send(reply(), new Message.Ack(job, a.term(), s, settings.id()), 0);
    }

    /**
     * Sessions for the assignment's graphs, and the clock started again. A new term that gives
     * this device the stage it ran (as after every recovery that it survives) runs on the same
     * sessions: no session builds, no slow first runs, and the speeds measured on them still hold.
     * New sessions are warmed up before the term starts.
     */
    private void prepareSessions(Message.Assign a) throws Exception {
        boolean same = sessions != null && sessions.serves(a.graphs(), settings.threads());
        if (!same) {
            closeSessions();
            sessions = StageSessions.open(OrtEnvironment.getEnvironment(), a.graphs(), settings.threads());
        }
        clock.restart(same);
        if (!same) {
            StageWarmUp.run(OrtEnvironment.getEnvironment(), sessions, a.graphs(), a.maxBatch(), clock);
        }
    }

    /**
     * The assignment with the states of the units it tells this device to keep, taken from the
     * stage it runs (frozen since the collect that ended its term).
     *
     * @throws ProtocolException if a unit to keep is not here, or the stage's units are not all given
     */
    private Message.Assign withKeptUnits(Message.Assign a) {
        List<UnitState> units = new ArrayList<>(a.units());
        if (!a.kept().isEmpty()) {
            StageWorker w = worker;
            if (w == null || !w.job().equals(a.job())) {
                throw new ProtocolException(RejectReason.UNEXPECTED, "told to keep units " + a.kept()
                        + " of job " + a.job() + " but runs no stage of it");
            }
            Map<Integer, UnitState> mine = new HashMap<>();
            w.unitStates().forEach(u -> mine.put(u.unit(), u));
            for (int u : a.kept()) {
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
        return new Message.Assign(a.job(), a.term(), a.stage(), a.stages(), a.graphs(), a.optimizer(), units,
                List.of(), a.schedule(), a.microBatches(), a.maxBatch(), a.start(), a.chainPeriod(),
                a.globalPeriod());
    }

    private void closeSessions() throws Exception {
        if (sessions != null) {
            sessions.close();
            sessions = null;
        }
    }

    private void release() throws Exception {
        for (String t : stageTopics) {
            transport.unsubscribe(t);
        }
        stageTopics.clear();
        StageWorker w = worker;
        worker = null;
        if (w != null) {
            w.close();
        }
    }

    private String reply() {
        return Topics.device(settings.id(), Topics.REPLY);
    }

    /** @return the bytes sent */
    private int send(String topic, Message m, long iteration) {
        long started = System.nanoTime();
        byte[] bytes = MessageCodec.encode(m);
        publish(topic, m, bytes, iteration);
        if (!(m instanceof Message.Heartbeat)) {
            clock.sent(System.nanoTime() - started, bytes.length);
        }
        return bytes.length;
    }

    private void publish(String topic, Message m, byte[] bytes, long iteration) {
        // Other devices' limits are not known here: devices are assumed to share one limit.
        int chunkBytes = Chunks.chunkBytesFor(settings.maxPayloadBytes(), CHUNK_BYTES);
        if (bytes.length <= chunkBytes) {
            transport.publish(topic, bytes, m instanceof Message.Heartbeat ? 0 : 1, false);
            return;
        }
        long id;
        synchronized (this) {
            id = messageIds++;
        }
        StageWorker w = worker;
        for (byte[] piece : Chunks.split(bytes, chunkBytes, w == null ? "" : w.job(), w == null ? 0 : w.term(),
                iteration, id)) {
            transport.publish(topic, piece, 1, false);
        }
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        if (transport != null) {
            release();
            closeSessions();
            transport.close();
        }
    }
}
