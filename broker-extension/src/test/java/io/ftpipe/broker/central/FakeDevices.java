package io.ftpipe.broker.central;

import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.protocol.Chunks;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The device side of a job without devices: what the central node publishes is answered at once,
 * on the publishing thread, as devices would answer it. A stage loads its units and acknowledges,
 * answers collects with what it holds, and the pipeline finishes a micro-batch the moment stage 0
 * gets it, unless a device of the layout is dead. Each finished micro-batch advances the clock by
 * {@link #MILLIS_PER_MICRO_BATCH}, and every {@link #HEARTBEAT_EVERY} a device heartbeats with its
 * compute time: its slowdown times the reference time of the units it holds.
 *
 * <p>Each unit a device holds has a version, as a real stage's: the micro-batch below which it
 * holds every update. A micro-batch updates a unit from its version on, as the assign says; one
 * that comes after a gap means the updates in the gap were never applied to it, counted in
 * {@link #updatesLost}.
 */
final class FakeDevices implements CentralPublisher {
    static final long MILLIS_PER_MICRO_BATCH = 100;
    static final int HEARTBEAT_EVERY = 4;

    /** One device: the stage it runs and the units it holds. */
    private static final class Device {
        final String id;
        final double slowdown;
        boolean dead;
        /** The job whose stage it runs, or null. */
        String job;
        int stage = -1;
        long term;
        final Map<Integer, UnitState> units = new TreeMap<>();
        final Map<Integer, Long> versions = new TreeMap<>();
        long trainedThrough;
        long forwards;
        long microBatches;
        double computeMillis;
        long heartbeats;

        Device(String id, double slowdown) {
            this.id = id;
            this.slowdown = slowdown;
        }
    }

    private final FakeClock clock;
    private final DeviceRegistry registry;
    private final double unitMillis;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Chunks.Assembler assembler = new Chunks.Assembler(Chunks.MAX_MESSAGE_BYTES);
    /** What the central node sent, in order. */
    final List<Message> sent = new CopyOnWriteArrayList<>();
    /** Whether devices answer that they have prepared a coming stage (or never do, as if too slow). */
    volatile boolean answersPrepare = true;
    /** The jobs answered, by id: each device's answers go to the job they are about. */
    private final Map<String, JobRun> runs = new ConcurrentHashMap<>();
    /** Per unit, micro-batches of updates it skipped over: none when every update is applied once. */
    final Map<Integer, Long> updatesLost = new ConcurrentHashMap<>();

    /** @param unitMillis the reference time of every unit, as the job's profile says */
    FakeDevices(FakeClock clock, DeviceRegistry registry, double unitMillis) {
        this.clock = clock;
        this.registry = registry;
        this.unitMillis = unitMillis;
    }

    /** A device that joins now and runs {@code slowdown} times slower than the reference. */
    void join(String id, double slowdown) {
        devices.put(id, new Device(id, slowdown));
        registry.joined(new Message.Hello(id, 2, 1L << 30, 1, "test", 64 << 20));
    }

    void answer(JobRun run) {
        runs.put(run.id(), run);
    }

    private JobRun run(String job) {
        return runs.get(job);
    }

    /** The device's process dies: its connection drops and it answers nothing more. */
    void kill(String id) {
        devices.get(id).dead = true;
        registry.disconnected(id);
    }

    /** The units a device holds now. */
    Set<Integer> units(String id) {
        return devices.get(id).units.keySet();
    }

    @Override
    public synchronized CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        if (topic.endsWith("/" + Topics.STATUS)) {
            return CompletableFuture.completedFuture(null);
        }
        Message m = MessageCodec.decode(payload, Integer.MAX_VALUE);
        if (m instanceof Message.Chunk c) {
            byte[] whole = assembler.add(topic, c);
            if (whole == null) {
                return CompletableFuture.completedFuture(null);
            }
            m = MessageCodec.decode(whole, Integer.MAX_VALUE);
        }
        sent.add(m);
        String device = Topics.deviceOf(topic);
        if (device != null) {
            command(devices.get(device), m);
        } else if (m instanceof Message.Forward f) {
            feed(f);
        }
        return CompletableFuture.completedFuture(null);
    }

    private void command(Device d, Message m) {
        if (d.dead) {
            return;
        }
        if (m instanceof Message.Assign a) {
            Map<Integer, UnitState> kept = new HashMap<>();
            a.kept().forEach(u -> kept.put(u, d.units.get(u)));
            d.units.clear();
            d.units.putAll(kept);
            UnitStatePayloads.decode(a.units()).forEach(u -> d.units.put(u.unit(), u));
            d.versions.clear();
            int k = 0;
            for (int u : d.units.keySet()) {
                d.versions.put(u, a.version(k++));
            }
            d.job = a.job();
            d.stage = a.stage();
            d.term = a.term();
            d.trainedThrough = a.start();
            d.forwards = 0;
            d.microBatches = 0;
            d.computeMillis = 0;
            run(a.job()).onMessage(d.id, new Message.Ack(a.job(), a.term(), a.stage(), d.id));
        } else if (m instanceof Message.Collect c) {
            List<UnitState> units = c.endsTerm()
                    ? d.units.keySet().stream().map(u -> new UnitState(u, Map.of(), Map.of())).toList()
                    : List.copyOf(d.units.values());
            run(c.job()).onMessage(d.id, new Message.Weights(c.job(), c.term(), c.request(), d.stage, d.trainedThrough,
                    UnitStatePayloads.encode(units), List.of(),
                    units.stream().map(u -> d.versions.get(u.unit())).toList()));
        } else if (m instanceof Message.Prepare p) {
            if (answersPrepare) {
                run(p.job()).onMessage(d.id, new Message.Prepared(p.job(), p.term(), p.stage(), d.id));
            }
        } else if (m instanceof Message.Stop s && s.job().equals(d.job)) {
            d.stage = -1;
        }
    }

    /** Stage 0 got a micro-batch: the whole pipeline runs it, if every stage of the term is alive. */
    private void feed(Message.Forward f) {
        List<Device> stages = new ArrayList<>(devices.values().stream()
                .filter(d -> f.job().equals(d.job) && d.term == f.term() && d.stage >= 0).toList());
        stages.sort((a, b) -> Integer.compare(a.stage, b.stage));
        if (stages.isEmpty() || stages.stream().anyMatch(d -> d.dead)) {
            return;
        }
        clock.advance(MILLIS_PER_MICRO_BATCH);
        int count = (int) f.x().shape()[0];
        Device last = stages.get(stages.size() - 1);
        JobRun run = run(f.job());
        run.onMessage(last.id, new Message.Progress(f.job(), f.term(), f.iteration(), last.stage,
                Message.Progress.LOSS, 1.0, count / 2, count));
        for (Device d : stages) {
            d.forwards++;
            d.microBatches++;
            d.trainedThrough = f.iteration() + 1;
            d.versions.replaceAll((u, v) -> {
                if (f.iteration() < v) {
                    return v;
                }
                updatesLost.merge(u, f.iteration() - v, Long::sum);
                return f.iteration() + 1;
            });
            d.computeMillis += d.slowdown * unitMillis * d.units.size();
            if (d.microBatches % HEARTBEAT_EVERY == 0) {
                heartbeat(d, f.job());
            }
        }
        run.onMessage(stages.get(0).id, new Message.Progress(f.job(), f.term(), f.iteration(), 0,
                Message.Progress.DONE, 0, 0, count));
    }

    private void heartbeat(Device d, String job) {
        Message.Heartbeat h = new Message.Heartbeat(d.id, ++d.heartbeats,
                new Message.Heartbeat.Activity("training", job, d.term, d.stage), d.computeMillis / d.microBatches, 0,
                new Message.Heartbeat.StageTime(d.computeMillis, 0, clock.getAsLong()),
                new Message.Heartbeat.StageCounts(d.forwards, d.microBatches, 0), Message.Heartbeat.Replication.NONE,
                Message.Heartbeat.Boundary.NONE);
        registry.heartbeat(h);
        run(job).onHeartbeat(h);
    }
}
