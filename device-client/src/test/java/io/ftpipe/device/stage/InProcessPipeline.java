package io.ftpipe.device.stage;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.broker.central.Assignments;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.runtime.StageSessions;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Test harness: stage workers of one job in one process, every message encoded and decoded
 * through the wire codec and delivered in order, the test playing the central node.
 */
final class InProcessPipeline implements AutoCloseable {
    final List<StageWorker> workers = new ArrayList<>();
    final List<Message.Progress> progress = new ArrayList<>();
    final List<Sent> replicas = new ArrayList<>();
    final List<Timed> replicationRounds = new ArrayList<>();

    /** A replica a stage sent: to its next stage ({@code chain}) or to the central node. */
    record Sent(Message.Replica replica, boolean chain) {
    }

    /** A round of replication as the stage timed it, and the time its sends took as the outbox timed them. */
    record Timed(int stage, long nanos, long sendNanos) {
    }

    private final List<StageSessions> sessions = new ArrayList<>();
    private final Deque<Runnable> mail = new ArrayDeque<>();
    private final Model model;
    private final Assignments.JobSettings settings;
    private final long term;

    InProcessPipeline(Model model, int[] bounds, Assignments.JobSettings settings, long seed) throws Exception {
        this(model, bounds, settings, 1, 0, Assignments.initialUnits(model, seed), Map.of());
    }

    /**
     * A term from micro-batch {@code start} with the given unit states and versions (the micro-batch
     * below which each unit holds every update; absent: {@code start}).
     */
    InProcessPipeline(Model model, int[] bounds, Assignments.JobSettings settings, long term, long start,
                      Map<Integer, io.ftpipe.zoo.state.UnitState> units, Map<Integer, Long> versions)
            throws Exception {
        this.model = model;
        this.settings = settings;
        this.term = term;
        var assigns = Assignments.forPartition(model, bounds, term, start, settings, units, java.util.Set.of(),
                versions, (from, to) -> io.ftpipe.zoo.stage.StageCompiler.compile(model, from, to));
        for (Message.Assign a : assigns) {
            Assignment wire = Assignment.decode((Message.Assign) viaWire(a));
            int s = a.stage();
            sessions.add(StageSessions.open(OrtEnvironment.getEnvironment(), wire.graphs(), 1));
            workers.add(new StageWorker(OrtEnvironment.getEnvironment(), wire, sessions.get(s), new Outbox() {
                private long sendNanos;

                @Override
                public void toNextStage(Message.Forward m) {
                    post(() -> workers.get(s + 1).onForward((Message.Forward) viaWire(m)));
                }

                @Override
                public void toPreviousStage(Message.Backward m) {
                    post(() -> workers.get(s - 1).onBackward((Message.Backward) viaWire(m)));
                }

                @Override
                public void toCentral(Message.Progress m) {
                    progress.add((Message.Progress) viaWire(m));
                }

                @Override
                public void replicate(Message.Replica m, boolean chain) {
                    long started = System.nanoTime();
                    replicas.add(new Sent((Message.Replica) viaWire(m), chain));
                    sendNanos += System.nanoTime() - started;
                }

                @Override
                public void replicated(long nanos) {
                    replicationRounds.add(new Timed(s, nanos, sendNanos));
                    sendNanos = 0;
                }
            }, ComputeClock.NONE));
        }
    }

    interface Action {
        void run() throws Exception;
    }

    private void post(Action a) {
        mail.add(() -> {
            try {
                a.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Message viaWire(Message m) {
        return MessageCodec.decode(MessageCodec.encode(m), 64 << 20);
    }

    /** Sends micro-batch {@code iteration} (samples order[from, from+n)) into the pipeline. */
    void feed(long iteration, Dataset data, int[] order, int from, int n) throws Exception {
        int size = data.sampleSize();
        float[] images = new float[n * size];
        long[] labels = new long[n];
        data.copyBatch(order, from, n, images, labels);
        StageWorker last = workers.get(workers.size() - 1);
        last.onLabels((Message.Labels) viaWire(new Message.Labels(settings.job(), term, iteration,
                Tensor.ofLongs(new long[]{n}, labels, n))));
        workers.get(0).onForward((Message.Forward) viaWire(new Message.Forward(settings.job(), term, iteration,
                Tensor.ofFloats(new long[]{n, 1, 28, 28}, FloatBuffer.wrap(images)))));
    }

    /** Delivers messages until none are left. */
    void drain() {
        while (!mail.isEmpty()) {
            mail.poll().run();
        }
    }

    /** Every unit's state, as a collect gets them. */
    Map<Integer, io.ftpipe.zoo.state.UnitState> units() {
        Map<Integer, io.ftpipe.zoo.state.UnitState> out = new java.util.TreeMap<>();
        for (StageWorker w : workers) {
            w.unitStates().forEach(u -> out.put(u.unit(), u));
        }
        return out;
    }

    long done() {
        return progress.stream().filter(p -> p.kind().equals(Message.Progress.DONE)).count();
    }

    /** All units' weights by parameter name. */
    Map<String, float[]> weights() {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (StageWorker w : workers) {
            w.unitStates().forEach(u -> out.putAll(u.values()));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (StageWorker w : workers) {
            w.close();
        }
        for (StageSessions s : sessions) {
            s.close();
        }
    }
}
