package io.ftpipe.device;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.device.mqtt.LastWill;
import io.ftpipe.device.mqtt.MqttTransport;
import io.ftpipe.device.config.DeviceConfig;
import io.ftpipe.device.stage.Assignment;
import io.ftpipe.device.stage.Outbox;
import io.ftpipe.device.stage.StageWorker;
import io.ftpipe.protocol.Chunks;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.protocol.Rejections;
import io.ftpipe.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device: joins the central node, heartbeats, and runs whatever stage it is assigned (through
 * its {@link StageHost}). Messages are handled on the transport's single delivery thread, in
 * arrival order; the heartbeat runs on a timer of its own, and a shutdown on a thread of its own.
 */
public final class DeviceAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAgent.class);
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
    /** Builds the sessions of a coming stage ({@code prepare}) beside the stage that runs. */
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ftpipe-prepare");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong heartbeats = new AtomicLong();
    private final StageClock clock;
    private final BoundaryClock boundary = new BoundaryClock();
    private final List<String> stageTopics = new ArrayList<>();
    private final AtomicLong replicatedBytes = new AtomicLong();
    /** Time the stages spent replicating (capturing, encoding, publishing), as the stage worker times it. */
    private final AtomicLong replicatedNanos = new AtomicLong();
    private final StageHost host;
    private MqttTransport transport;
    private long messageIds;

    public DeviceAgent(DeviceConfig settings) {
        this.settings = settings;
        this.assembler = new Chunks.Assembler(Chunks.MAX_MESSAGE_BYTES);
        this.clock = new StageClock(settings.slowdown(), settings.threads() == 1, new CpuLimit()::cores,
                StageClock::processCpuNanos);
        this.host = new StageHost(OrtEnvironment.getEnvironment(), settings.threads(), clock);
    }

    public Rejections rejections() {
        return rejections;
    }

    public void start() {
        byte[] will = MessageCodec.encode(Heartbeat.lastWill(settings.id()));
        transport = MqttTransport.connect(settings.transportOptions(
                new LastWill(Topics.device(settings.id(), Topics.HEARTBEAT), will, 1, false)));
        transport.subscribe(Topics.device(settings.id(), Topics.COMMAND), 1, (topic, payload) -> receive(topic, payload));
        hello();
        // A restarted central node knows nobody: say hello again, keeping the stage (it can resume).
        // The heartbeat right after tells it which stage that is, so it need not wait a period.
        transport.onReconnect(() -> timer.execute(this::helloAgain));
        CentralStarts.follow(transport, () -> timer.execute(this::helloAgain));
        // Fixed delay, not rate: a heartbeat blocked while the broker was away must not be followed
        // by a burst of catch-up heartbeats that reach a restarted central node before the hello.
        timer.scheduleWithFixedDelay(this::heartbeat, 0, settings.heartbeatMillis(), TimeUnit.MILLISECONDS);
        LOG.info("device " + settings.id() + " joined " + settings.brokerUrl());
    }

    private void helloAgain() {
        try {
            hello();
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("hello again failed: " + e.getMessage());
        }
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
            send(Topics.device(settings.id(), Topics.HEARTBEAT), beat(), 0);
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed: " + e.getMessage());
        }
    }

    /** What the device is doing and its figures now, as the next heartbeat. */
    private Heartbeat beat() {
        StageWorker w = host.worker();
        return new Heartbeat(settings.id(), heartbeats.incrementAndGet(),
                w == null ? Heartbeat.Activity.IDLE : new Heartbeat.Activity("training", w.job(), w.term(), w.stage()),
                clock.meanMillis(), rejections.total(),
                new Heartbeat.StageTime(clock.computeTotalMillis(), clock.sendTotalMillis(), clock.stageMillis()),
                new Heartbeat.StageCounts(w == null ? 0 : w.forwards(), w == null ? 0 : w.completed(),
                        clock.sentBytes()),
                new Heartbeat.Replication(replicatedBytes.get(), replicatedNanos.get() / 1e6),
                new Heartbeat.Boundary(boundary.roundTripMillis(), boundary.bytes()));
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
            LOG.error("failed on " + topic + ": " + e);
            StageWorker w = host.worker();
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
        StageWorker w = host.worker();
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
        if (m instanceof Message.Assign a) {
            assign(Assignment.decode(a));
        } else if (m instanceof Message.Prepare p) {
            preparer.execute(() -> prepare(p));
        } else if (m instanceof Message.Emulate e) {
            emulate(e);
        } else if (m instanceof Message.Forward f) {
            host.forward(f);
        } else if (m instanceof Message.Backward b) {
            host.backward(b);
        } else if (m instanceof Message.Labels l) {
            host.labels(l);
        } else if (m instanceof Message.Replica r) {
            host.keep(r);
        } else if (m instanceof Message.Collect c) {
            send(reply(), host.collect(c), c.request());
            // The job's report takes replication from heartbeats, and a job's last round of replicas
            // comes right before its final collect: heartbeat now rather than up to a period later,
            // after the report.
            heartbeat();
        } else if (m instanceof Message.Stop s) {
            host.stop(s);
            LOG.info("stopped job " + s.job() + ": " + s.reason());
            unsubscribeStage();
        } else {
            throw new ProtocolException(RejectReason.UNEXPECTED, m.getClass().getSimpleName() + " sent to a device");
        }
    }

    /** On the preparer's thread: a failure here costs only the head start. */
    private void prepare(Message.Prepare p) {
        try {
            send(reply(), host.prepare(p, settings.id()), p.term());
        } catch (Exception e) {
            LOG.warn("could not prepare stage " + p.stage() + " of job " + p.job() + " ahead of its term: " + e);
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

    private void assign(Assignment a) throws Exception {
        int s = a.stage();
        String job = a.job();
        boundary.restart();
        Message.Ack ack = host.assign(a, new Outbox() {
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
        }, settings.id());
        unsubscribeStage();
        stageTopics.add(Topics.stage(job, s, Topics.FORWARD));
        if (s > 0) {
            stageTopics.add(Topics.stage(job, s, Topics.REPLICA));
        }
        stageTopics.add(Topics.stage(job, s, a.graphs().last() ? Topics.LABELS : Topics.BACKWARD));
        for (String t : stageTopics) {
            transport.subscribe(t, 1, this::receive);
        }
        LOG.info("running stage " + s + " of " + a.stages() + " (units " + a.graphs().from() + ".." + a.graphs().to()
                + ") of job " + job + ", term " + a.term());
        send(reply(), ack, 0);
    }

    private void unsubscribeStage() {
        for (String t : stageTopics) {
            transport.unsubscribe(t);
        }
        stageTopics.clear();
    }

    private String reply() {
        return Topics.device(settings.id(), Topics.REPLY);
    }

    /** @return the bytes sent */
    private int send(String topic, Message m, long iteration) {
        long started = System.nanoTime();
        byte[] bytes = MessageCodec.encode(m);
        publish(topic, m, bytes, iteration);
        if (!(m instanceof Heartbeat)) {
            clock.sent(System.nanoTime() - started, bytes.length);
        }
        return bytes.length;
    }

    private void publish(String topic, Message m, byte[] bytes, long iteration) {
        // Other devices' limits are not known here: devices are assumed to share one limit.
        int chunkBytes = Chunks.chunkBytesFor(settings.maxPayloadBytes(), CHUNK_BYTES);
        if (bytes.length <= chunkBytes) {
            transport.publish(topic, bytes, m instanceof Heartbeat ? 0 : 1, false);
            return;
        }
        long id;
        synchronized (this) {
            id = messageIds++;
        }
        StageWorker w = host.worker();
        for (byte[] piece : Chunks.split(bytes, chunkBytes, w == null ? "" : w.job(), w == null ? 0 : w.term(),
                iteration, id)) {
            transport.publish(topic, piece, 1, false);
        }
    }

    /**
     * The transport first: its delivery thread finishes (or is interrupted in) the message it
     * handles, and no other comes; then the stage and its sessions, which the host closes once.
     */
    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        preparer.shutdownNow();
        if (transport != null) {
            transport.close();
        }
        host.close();
    }
}
