package io.ftpipe.broker.central;

import io.ftpipe.protocol.Schedule;
import io.ftpipe.protocol.Topics;
import io.ftpipe.protocol.WireDtype;
import io.ftpipe.zoo.data.NormalizationChoice;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.util.List;

/**
 * A training job as submitted.
 *
 * @param devices      how many devices to train on (the first that are alive, by id)
 * @param schedule     a {@link Schedule}'s name
 * @param batchSize    samples per optimizer step
 * @param microBatches GPipe: micro-batches per step; 1F1B sends each batch as one micro-batch
 * @param synthetic    0 for Fashion-MNIST, else the size of a generated data set
 * @param trainLimit   0 for the whole training set, else its first samples
 * @param planner      {@value #ADAPTIVE}: start with the speed-blind split, then re-plan from measured
 *                     capacities whenever that pays; {@value #SPEED_BLIND}: keep the split that
 *                     balances reference compute and ignores device speeds (PipeDream's choice)
 * @param model        a zoo model's name, or the path of an ONNX file to import
 * @param replication  how often stages copy their weights and optimizer state away
 * @param sources      the user's data, its normalisation, and where the model's weights start
 * @param wireDtype    how activations and gradients cross stage boundaries, a {@link WireDtype}'s label
 */
public record JobSpec(String id, String model, int devices, String schedule, int batchSize, int microBatches,
                      int epochs, OptimizerConfig optimizer, long seed, int synthetic, int trainLimit,
                      String planner, Replication replication, Sources sources, String wireDtype) {
    public static final String ADAPTIVE = "adaptive";
    public static final String SPEED_BLIND = "speed-blind";
    public static final List<String> PLANNERS = List.of(ADAPTIVE, SPEED_BLIND);

    /**
     * Replication periods, in micro-batches finished by a stage (0 = off): every {@code chainPeriod}
     * a stage sends its units to the next stage (the last to the central node), every
     * {@code globalPeriod} to the central node. FTPipeHD's periods ({@link JobDefaults}) are the defaults.
     * With {@code replayLost}, a recovery replays the micro-batches whose updates a restored unit
     * lost (its replica was older), so every unit gets every update exactly once; without, they are
     * lost, and the recovery replays less.
     */
    public record Replication(int chainPeriod, int globalPeriod, boolean replayLost) {
        public static final Replication DEFAULT = new Replication(JobDefaults.CHAIN_PERIOD, JobDefaults.GLOBAL_PERIOD);
        public static final Replication OFF = new Replication(0, 0);

        /** Replaying what restored units lost, as by default. */
        public Replication(int chainPeriod, int globalPeriod) {
            this(chainPeriod, globalPeriod, JobDefaults.REPLAY_LOST);
        }

        public Replication {
            if (chainPeriod < 0 || globalPeriod < 0) {
                throw new IllegalArgumentException("replication periods must be >= 0 (0 = off)");
            }
        }
    }

    /**
     * Where a job's inputs come from.
     *
     * @param data         the user's data set (a .npz, a .csv, or a folder of train.csv and test.csv or IDX
     *                     files), or null for Fashion-MNIST (or generated samples)
     * @param normalize    {@code auto}, {@code none} or {@code MEAN,STD} ({@link NormalizationChoice})
     * @param reinitialize an imported model starts from weights drawn from the seed, not the file's
     */
    public record Sources(String data, String normalize, boolean reinitialize) {
        public static final Sources DEFAULT = new Sources(null, JobDefaults.NORMALIZE, false);

        public Sources {
            NormalizationChoice.parse(normalize);
        }

        public NormalizationChoice normalization() {
            return NormalizationChoice.parse(normalize);
        }
    }

    public JobSpec {
        Topics.checkLevel(id);
        java.util.Objects.requireNonNull(replication, "replication");
        // A checkpoint of a job from before there were sources has none.
        sources = sources == null ? Sources.DEFAULT : sources;
        wireDtype = wireDtype == null ? WireDtype.FLOAT32.label() : WireDtype.named(wireDtype).label();
        Schedule.named(schedule);
        if (devices < 1 || batchSize < 1 || microBatches < 1 || epochs < 1 || batchSize % microBatches != 0) {
            throw new IllegalArgumentException("devices, batch size, micro-batches and epochs must be >= 1, and the "
                    + "batch size a multiple of the micro-batches");
        }
        if (!PLANNERS.contains(planner)) {
            throw new IllegalArgumentException("planner must be one of " + PLANNERS + ", got '" + planner + "'");
        }
    }

    /** A job whose activations and gradients travel as float32. */
    public JobSpec(String id, String model, int devices, String schedule, int batchSize, int microBatches,
                   int epochs, OptimizerConfig optimizer, long seed, int synthetic, int trainLimit,
                   String planner, Replication replication, Sources sources) {
        this(id, model, devices, schedule, batchSize, microBatches, epochs, optimizer, seed, synthetic, trainLimit,
                planner, replication, sources, null);
    }

    /** A job on Fashion-MNIST (or generated samples), its model starting from its own weights. */
    public JobSpec(String id, String model, int devices, String schedule, int batchSize, int microBatches,
                   int epochs, OptimizerConfig optimizer, long seed, int synthetic, int trainLimit,
                   String planner, Replication replication) {
        this(id, model, devices, schedule, batchSize, microBatches, epochs, optimizer, seed, synthetic, trainLimit,
                planner, replication, Sources.DEFAULT);
    }

    /** A job replicating at the default periods. */
    public JobSpec(String id, String model, int devices, String schedule, int batchSize, int microBatches,
                   int epochs, OptimizerConfig optimizer, long seed, int synthetic, int trainLimit, String planner) {
        this(id, model, devices, schedule, batchSize, microBatches, epochs, optimizer, seed, synthetic, trainLimit,
                planner, Replication.DEFAULT);
    }

    /** An adaptive job replicating at the default periods. */
    public JobSpec(String id, String model, int devices, String schedule, int batchSize, int microBatches,
                   int epochs, OptimizerConfig optimizer, long seed, int synthetic, int trainLimit) {
        this(id, model, devices, schedule, batchSize, microBatches, epochs, optimizer, seed, synthetic, trainLimit,
                ADAPTIVE);
    }

    public WireDtype wire() {
        return WireDtype.named(wireDtype);
    }

    /** The schedule's rules. */
    public Schedule scheduling() {
        return Schedule.named(schedule);
    }

    public int microBatchSize() {
        return batchSize / microBatches;
    }

    /** @see Replication */
    public boolean replayLost() {
        return replication.replayLost();
    }

    public boolean adaptive() {
        return planner.equals(ADAPTIVE);
    }
}
