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
     * Device to central: liveness and what the device is doing. {@code computeMillis} is the
     * smoothed time of one compute step; the totals, since the current stage was assigned, split
     * the stage's time into compute, sending, and (the rest) waiting, and count the forward passes
     * run, the micro-batches finished (backward done) and the bytes sent. Differences between two
     * heartbeats are the device's measured speed and upload rate, which the planner uses.
     * {@code replicatedBytes} counts the replicas the device has sent since it started, and
     * {@code replicatedMillis} the milliseconds the device spent encoding and publishing replicas
     * (and capturing the states they carry) since it started: time its training thread did not train.
     * {@code boundaryMillis} and {@code boundaryBytes} total, on the current stage, the round trips
     * of its outgoing boundary: from a forward's send to its backward's arrival, less the time the
     * next stage held the micro-batch ({@link Backward#heldMillis}), and the bytes of both messages.
     */
    record Heartbeat(String device, long seq, String state, String job, long term, int stage, double computeMillis,
                     long rejected, double computeTotalMillis, double sendTotalMillis, double stageMillis,
                     long forwards, long microBatches, long sentBytes, long replicatedBytes,
                     double replicatedMillis, double boundaryMillis, long boundaryBytes)
            implements Message {
        /** A heartbeat without boundary round trips (a device of an older version, or one with no next stage). */
        public Heartbeat(String device, long seq, String state, String job, long term, int stage, double computeMillis,
                         long rejected, double computeTotalMillis, double sendTotalMillis, double stageMillis,
                         long forwards, long microBatches, long sentBytes, long replicatedBytes,
                         double replicatedMillis) {
            this(device, seq, state, job, term, stage, computeMillis, rejected, computeTotalMillis, sendTotalMillis,
                    stageMillis, forwards, microBatches, sentBytes, replicatedBytes, replicatedMillis, 0, 0);
        }

        /** The state of the heartbeat a device leaves as its Last Will: the broker publishes it when the device dies. */
        public static final String OFFLINE = "offline";
    }

    /**
     * Central to device: run stage {@code stage} of {@code stages}: its encoded graphs, encoded
     * initial unit states (weights and optimizer state), optimizer settings and schedule (a
     * {@link Schedule}'s name, with {@code microBatches} per step). The term's first micro-batch is {@code start}: a re-plan
     * continues the job's iteration numbering. Every {@code chainPeriod} finished micro-batches the
     * stage sends a {@link Replica} of its units to the next stage (the last stage to the central
     * node), and every {@code globalPeriod} to the central node; 0 turns either off.
     *
     * <p>{@code kept} lists the units whose state the device already holds in the stage it runs
     * (as it answered the last {@link Collect} that ended its term): it keeps those, and
     * {@code units} carries the others. Together they are exactly the stage's units.
     */
    record Assign(String job, long term, int stage, int stages, byte[] graphs, OptimizerSettings optimizer,
                  List<byte[]> units, List<Integer> kept, String schedule, int microBatches, int maxBatch,
                  long start, int chainPeriod, int globalPeriod)
            implements Message {
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
     * a collect that ends the term) has units without values or optimizer state.
     */
    record Weights(String job, long term, long request, int stage, long iteration, List<byte[]> units,
                   List<Replica> held)
            implements Message {
    }

    /**
     * A copy of stage {@code stage}'s unit states, including the updates of every micro-batch below
     * {@code iteration}: to the next stage (chain replication) or to the central node (global, and
     * the last stage's chain).
     */
    record Replica(String job, long term, int stage, long iteration, List<byte[]> units) implements Message {
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
