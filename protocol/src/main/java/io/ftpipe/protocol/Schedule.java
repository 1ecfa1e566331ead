package io.ftpipe.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * The schedules a job can run, by the names an {@code assign} carries and a job request gives, and
 * every rule that depends on the schedule: what each stage may do ({@link #at}) and how far ahead
 * the central node feeds ({@link #feedLimit}). Pure.
 *
 * <p>Micro-batches in flight: PipeDream keeps {@code S - s} at stage {@code s} of {@code S}, enough
 * to fill a pipeline whose transfers cost nothing; its weights are then at most {@code S - s}
 * updates stale. Over MQTT every boundary costs a round trip through the broker (activation out,
 * gradient back, each behind whatever step the receiver is running), and with {@code S - s} a stage
 * waits out every downstream round trip: a 4-stage h10 run made 148 samples/s where its stages
 * allowed about 280. Overlapping holds one more per downstream boundary, so each round trip
 * overlaps a step of compute. The price is staleness: up to {@code 2(S - s) - 1} updates, which
 * cost cnn about half a point of accuracy after one epoch on three devices. So it is a schedule of
 * its own, chosen per job.
 */
public enum Schedule {
    /** Asynchronous, PipeDream's 1F1B: an optimizer step after every backward, weights stashed. */
    ONE_F_ONE_B(Names.ONE_F_ONE_B),
    /** 1F1B with one more micro-batch in flight per downstream boundary, to overlap the broker's round trips. */
    ONE_F_ONE_B_OVERLAP(Names.ONE_F_ONE_B_OVERLAP),
    /** Synchronous: gradients of a step's micro-batches accumulate, one optimizer step per step. */
    GPIPE(Names.GPIPE);

    /** The names as constants, for annotations (command-line defaults). */
    public static final class Names {
        public static final String ONE_F_ONE_B = "1f1b";
        public static final String ONE_F_ONE_B_OVERLAP = "1f1b-overlap";
        public static final String GPIPE = "gpipe";

        private Names() {
        }
    }

    private final String wireName;

    Schedule(String wireName) {
        this.wireName = wireName;
    }

    /** The name jobs and {@code assign} messages give. */
    public String wireName() {
        return wireName;
    }

    /** Every schedule's name, in a fixed order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Schedule::wireName).toList();
    }

    /** @throws IllegalArgumentException naming the known schedules, if {@code name} is none of them */
    public static Schedule named(String name) {
        for (Schedule s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + name + "'; known: " + String.join(", ", names()));
    }

    /**
     * Whether a step's micro-batches accumulate into one optimizer step, so the pipeline drains at
     * the end of each step and a step is the unit training resumes from (GPipe).
     */
    public boolean accumulates() {
        return this == GPIPE;
    }

    /** Micro-batches per step of a job that asks for {@code requested}: GPipe splits a batch so, 1F1B sends it whole. */
    public int microBatchesPerStep(int requested) {
        return accumulates() ? requested : 1;
    }

    /**
     * The rules of stage {@code stage} of {@code stages}, whose steps take {@code microBatches}.
     *
     * @throws IllegalArgumentException if the stage is outside the pipeline or a step has no micro-batch
     */
    public StageRules at(int stage, int stages, int microBatches) {
        if (stage < 0 || stage >= stages || microBatches < 1) {
            throw new IllegalArgumentException("bad schedule: stage " + stage + " of " + stages + ", "
                    + microBatches + " micro-batches");
        }
        int downstream = stages - stage;
        // A stage's weights change between a forward and its backward only if a later backward can run in between.
        boolean stashes = !accumulates() && downstream > 1;
        return switch (this) {
            case ONE_F_ONE_B -> new StageRules(downstream, stashes, true, 1);
            case ONE_F_ONE_B_OVERLAP -> new StageRules(downstream + (downstream - 1), stashes, true, 1);
            case GPIPE -> new StageRules(microBatches, stashes, false, microBatches);
        };
    }

    /**
     * How many micro-batches the central node lets into a pipeline of {@code stages} at once. Stage
     * 0 enforces its own limit; under 1F1B the central node feeds two further, so stage 0's next
     * input waits queued there instead of a broker round trip away. GPipe feeds a step and drains it.
     */
    public int feedLimit(int stages, int microBatches) {
        int limit = at(0, stages, microBatches).inFlightLimit();
        return accumulates() ? limit : limit + 2;
    }
}
