package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.protocol.Schedule;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A failure of {@code bench faults}: which stages of the first layout lose their device. Stages,
 * not device ids, because the speed-blind planner fixes the layout, so each scenario always hits
 * the same part of the pipeline.
 */
public enum FaultScenario {
    /** A middle stage: both its neighbours survive and must re-wire around it. */
    SINGLE("single", 2),
    /** Stage 1 keeps its chain replica on stage 2; killing both at once leaves only the central copy. */
    ADJACENT("adjacent", 3),
    /** Stage 1 survives, so one device that held neither end of the pipeline has to take on the whole model. */
    ALL_BUT_ONE("all-but-one", 2),
    /** No device: the central node's own process (the broker with the extension) is killed and started again. */
    BROKER_RESTART("broker-restart", 1),
    /** {@link #SINGLE} in a synchronous (GPipe) job, which must end with the failure-free weights. */
    SYNC_SINGLE("sync-single", 2),
    /** {@link #ADJACENT} in a synchronous job. */
    SYNC_ADJACENT("sync-adjacent", 3),
    /** {@link #BROKER_RESTART} in a synchronous job. */
    SYNC_BROKER_RESTART("sync-broker-restart", 1);

    /** Micro-batches per step of the synchronous scenarios' jobs. */
    private static final int SYNC_MICRO_BATCHES = 4;

    public static final List<String> NAMES = Arrays.stream(values()).map(FaultScenario::label).toList();

    private final String label;
    private final int minStages;

    FaultScenario(String label, int minStages) {
        this.label = label;
        this.minStages = minStages;
    }

    public static FaultScenario named(String name) {
        return Arrays.stream(values()).filter(s -> s.label.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown scenario '" + name + "'; known: " + NAMES));
    }

    public String label() {
        return label;
    }

    /** Is the job synchronous (GPipe), compared by its weights with the failure-free run? */
    public boolean synchronous() {
        return label.startsWith("sync-");
    }

    /** The job's schedule: GPipe for the synchronous scenarios, 1F1B for the others. */
    public Schedule schedule() {
        return synchronous() ? Schedule.GPIPE : Schedule.ONE_F_ONE_B;
    }

    /** Micro-batches per step of the job. */
    public int microBatches() {
        return synchronous() ? SYNC_MICRO_BATCHES : 1;
    }

    /** Is it the central node's process that is killed, not devices? */
    public boolean restartsBroker() {
        return this == BROKER_RESTART || this == SYNC_BROKER_RESTART;
    }

    /** The fewest stages (so devices) the scenario can be played on. */
    public int minStages() {
        return minStages;
    }

    /** Indices of the stages whose devices are killed, in a layout of {@code stages} stages. */
    public List<Integer> victimStages(int stages) {
        if (stages < minStages) {
            throw new IllegalArgumentException(label + " needs at least " + minStages + " stages, the layout has "
                    + stages);
        }
        return switch (this) {
            case SINGLE, SYNC_SINGLE -> List.of(1);
            case ADJACENT, SYNC_ADJACENT -> List.of(1, 2);
            case ALL_BUT_ONE -> IntStream.range(0, stages).filter(s -> s != 1).boxed().toList();
            case BROKER_RESTART, SYNC_BROKER_RESTART -> List.of();
        };
    }

    /** The devices to kill in {@code layout}. */
    public List<String> victims(List<JobReport.Stage> layout) {
        return victimStages(layout.size()).stream().map(s -> layout.get(s).device()).toList();
    }
}
