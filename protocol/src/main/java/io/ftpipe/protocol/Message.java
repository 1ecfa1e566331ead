package io.ftpipe.protocol;

import java.util.List;

/**
 * The messages of protocol version {@value #VERSION}. Every message of a job carries
 * {@code (job, term, iteration)}: {@code term} increases at every re-plan or recovery, and
 * anything from an older term is dropped and counted, never applied. {@code iteration} is the
 * micro-batch's global sequence number within the job.
 *
 * <p>Structures of the model code travel encoded, as bytes the receiver decodes: stage graphs
 * (model-zoo's {@code StageGraphsCodec}) and unit states, each a unit's weights and optimizer state
 * ({@code UnitStateCodec}). This module carries them and knows nothing of models.
 */
public sealed interface Message {
    int VERSION = 1;

    /**
     * Device to central: a device joins (or rejoins after a restart, with no state). Nothing larger
     * than {@code maxPayloadBytes} may be sent to it in one MQTT message.
     */
    record Hello(String device, int cores, long memoryBytes, int threads, String version, int maxPayloadBytes)
            implements Message {
    }

    /**
     * Device to central: liveness and what the device is doing, {@code seq} counting its heartbeats.
     * {@code computeMillis} is the smoothed time of one compute step and {@code rejected} the messages
     * the device has rejected. The parts since the current stage was assigned ({@link StageTime},
     * {@link StageCounts}, {@link Boundary}) give, as differences between two heartbeats, the
     * device's measured speed, upload rate and link, which the planner uses.
     */
    record Heartbeat(String device, long seq, Activity activity, double computeMillis, long rejected, StageTime time,
                     StageCounts counts, Replication replication, Boundary boundary)
            implements Message {
        /** The state in a device's Last Will, which the broker publishes when the device dies. */
        public static final String OFFLINE = "offline";

        /** The heartbeat a device leaves as its MQTT Last Will: {@link #OFFLINE}, on nothing, with no figures. */
        public static Heartbeat lastWill(String device) {
            return new Heartbeat(device, -1, Activity.GONE, 0, 0, StageTime.NONE, StageCounts.NONE, Replication.NONE,
                    Boundary.NONE);
        }

        /**
         * What the device works on: its {@code state} ({@code idle}, {@code training}, or
         * {@link #OFFLINE}) and the job, term and stage it runs (empty, 0 and -1 when none).
         */
        public record Activity(String state, String job, long term, int stage) {
            public static final Activity IDLE = new Activity("idle", "", 0, -1);
            public static final Activity GONE = new Activity(OFFLINE, "", 0, -1);
        }

        /** The current stage's time since it was assigned: computing, sending, and all of it (the rest is waiting). */
        public record StageTime(double computeMillis, double sendMillis, double totalMillis) {
            public static final StageTime NONE = new StageTime(0, 0, 0);
        }

        /** Since the current stage was assigned: forward passes run, micro-batches finished and bytes sent. */
        public record StageCounts(long forwards, long microBatches, long sentBytes) {
            public static final StageCounts NONE = new StageCounts(0, 0, 0);
        }

        /**
         * Since the device started: the bytes of the replicas it sent, and the milliseconds it spent
         * capturing, encoding and publishing them (time its training thread did not train).
         */
        public record Replication(long bytes, double millis) {
            public static final Replication NONE = new Replication(0, 0);
        }

        /**
         * Since the current stage was assigned, the round trips of its outgoing boundary: from a
         * forward's send to its backward's arrival, less the time the next stage held the
         * micro-batch ({@link Backward#heldMillis}), and the bytes of both messages. None from a
         * device of an older version, or one with no next stage.
         */
        public record Boundary(double millis, long bytes) {
            public static final Boundary NONE = new Boundary(0, 0);
        }
    }

    /**
     * Central to device: run stage {@code stage} of {@code stages}: its encoded graphs, encoded
     * initial unit states (weights and optimizer state), optimizer settings and schedule (a
     * {@link Schedule}'s name, with {@code microBatches} per step). The term's first micro-batch is
     * {@code start}: a re-plan
     * continues the job's iteration numbering. Every {@code chainPeriod} finished micro-batches the
     * stage sends a {@link Replica} of its units to the next stage (the last stage to the central
     * node), and every {@code globalPeriod} to the central node; 0 turns either off.
     *
     * <p>{@code kept} lists the units whose state the device already holds in the stage it runs
     * (as it answered the last {@link Collect} that ended its term): it keeps those, and
     * {@code units} carries the others. Together they are exactly the stage's units.
     *
     * <p>{@code versions}, one per unit of the stage in order: the micro-batch below which that
     * unit's state already holds every update. The stage runs every micro-batch from {@code start}
     * forward and backward, but applies a micro-batch's update to a unit only from its version on,
     * so no update is applied twice. Empty: every unit is at {@code start}.
     */
    record Assign(String job, long term, int stage, int stages, byte[] graphs, OptimizerSettings optimizer,
                  List<byte[]> units, List<Integer> kept, String schedule, int microBatches, int maxBatch,
                  long start, int chainPeriod, int globalPeriod, List<Long> versions, String wireDtype)
            implements Message {
        public Assign(String job, long term, int stage, int stages, byte[] graphs, OptimizerSettings optimizer,
                      List<byte[]> units, List<Integer> kept, String schedule, int microBatches, int maxBatch,
                      long start, int chainPeriod, int globalPeriod, List<Long> versions) {
            this(job, term, stage, stages, graphs, optimizer, units, kept, schedule, microBatches, maxBatch, start,
                    chainPeriod, globalPeriod, versions, WireDtype.FLOAT32.label());
        }

        public Assign(String job, long term, int stage, int stages, byte[] graphs, OptimizerSettings optimizer,
                      List<byte[]> units, List<Integer> kept, String schedule, int microBatches, int maxBatch,
                      long start, int chainPeriod, int globalPeriod) {
            this(job, term, stage, stages, graphs, optimizer, units, kept, schedule, microBatches, maxBatch, start,
                    chainPeriod, globalPeriod, List.of());
        }

        /** How the stage's activations and gradients cross its boundaries ({@link WireDtype}). */
        public WireDtype wire() {
            return WireDtype.named(wireDtype);
        }

        /** The version of the stage's {@code index}-th unit. */
        public long version(int index) {
            return versions.isEmpty() ? start : versions.get(index);
        }
    }

    /**
     * Operator to device: emulate a device {@code slowdown} times slower than this one (benchmarks
     * and tests of heterogeneity). Only the device knows the factor; the central node sees its effect
     * in measured times.
     */
    record Emulate(String device, double slowdown) implements Message {
    }

    /** Device to central: assignment loaded, subscribed, ready. */
    record Ack(String job, long term, int stage, String device) implements Message {
    }

    /**
     * Central to device, while term {@code term} trains: the graphs of the stage the next term will
     * give you. Build and warm up their sessions now, beside the stage you run, so that the
     * {@link Assign} that follows finds them ready; answer {@link Prepared}.
     */
    record Prepare(String job, long term, int stage, byte[] graphs, int maxBatch) implements Message {
    }

    /** Device to central: the sessions of a {@link Prepare} are built and warmed up. */
    record Prepared(String job, long term, int stage, String device) implements Message {
    }

    /**
     * Central to device: send your units' states (for evaluation, export and replication).
     *
     * <p>With {@code endsTerm} (a recovery): take no more of this term's stage messages, and answer
     * with a summary: which units and replicas the device holds and how far they trained, without
     * their tensors. A new term follows, in which the device keeps what stays with it.
     */
    record Collect(String job, long term, long request, boolean endsTerm) implements Message {
    }

    /**
     * Device to central, the answer to {@link Collect}: the stage's unit states, which include the
     * updates of every micro-batch below {@code iteration}, and the chain replicas the device holds
     * for its previous stage (used when that stage's device has failed). A summary (the answer to
     * a collect that ends the term) has units without values or optimizer state. {@code versions},
     * one per unit of {@code units}: the micro-batch below which that unit holds every update (a
     * unit of a term that started behind it may be ahead of {@code iteration}); empty: all at
     * {@code iteration}.
     */
    record Weights(String job, long term, long request, int stage, long iteration, List<byte[]> units,
                   List<Replica> held, List<Long> versions)
            implements Message {
        public Weights(String job, long term, long request, int stage, long iteration, List<byte[]> units,
                       List<Replica> held) {
            this(job, term, request, stage, iteration, units, held, List.of());
        }

        /** The version of the {@code index}-th of {@code units}. */
        public long version(int index) {
            return versions.isEmpty() ? iteration : versions.get(index);
        }
    }

    /**
     * A copy of stage {@code stage}'s unit states, including the updates of every micro-batch below
     * {@code iteration}: to the next stage (chain replication) or to the central node (global, and
     * the last stage's chain). {@code versions}: per unit, as in {@link Weights}.
     */
    record Replica(String job, long term, int stage, long iteration, List<byte[]> units, List<Long> versions)
            implements Message {
        public Replica(String job, long term, int stage, long iteration, List<byte[]> units) {
            this(job, term, stage, iteration, units, List.of());
        }

        /** The version of the {@code index}-th of {@code units}. */
        public long version(int index) {
            return versions.isEmpty() ? iteration : versions.get(index);
        }
    }

    /** Central to device: the job (or this term of it) is over. */
    record Stop(String job, long term, String reason) implements Message {
    }

    /** An activation into a stage (the input batch into stage 0). */
    record Forward(String job, long term, long iteration, Tensor x) implements Message {
    }

    /**
     * A gradient into a stage. {@code heldMillis}: how long the sending stage (and the stages after
     * it) held the micro-batch, from its forward's arrival to this message's send; NaN if unknown.
     * The receiver takes it from the round trip it timed to learn what the boundary itself costs.
     */
    record Backward(String job, long term, long iteration, Tensor dy, double heldMillis) implements Message {
        public Backward(String job, long term, long iteration, Tensor dy) {
            this(job, term, iteration, dy, Double.NaN);
        }
    }

    /** Labels into the last stage. */
    record Labels(String job, long term, long iteration, Tensor labels) implements Message {
    }

    /**
     * Stage to central. {@code kind} is {@value #LOSS} (the last stage's forward: loss and correct
     * over {@code count} samples) or {@value #DONE} (stage 0 finished the micro-batch's backward).
     */
    record Progress(String job, long term, long iteration, int stage, String kind, double loss, long correct,
                    int count) implements Message {
        public static final String LOSS = "loss";
        public static final String DONE = "done";
    }

    /** Device to central: something went wrong that the central node should know. */
    record DeviceError(String job, long term, String device, String reason) implements Message {
    }

    /** One piece of a message too large to publish at once; reassembled by {@link Chunks}. */
    record Chunk(String job, long term, long iteration, long id, int index, int count, byte[] data)
            implements Message {
    }
}
