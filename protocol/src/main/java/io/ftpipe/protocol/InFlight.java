package io.ftpipe.protocol;

/**
 * How many micro-batches an asynchronous (1F1B) stage may hold between its forward and its
 * backward: the rule the devices enforce and the central node feeds by.
 *
 * <p>PipeDream keeps {@code S - s} at stage {@code s} of {@code S}, enough to fill a pipeline whose
 * transfers cost nothing; its weights are then at most {@code S - s} updates stale. Over MQTT every
 * boundary costs a round trip through the broker (activation out, gradient back, each behind
 * whatever step the receiver is running), and with {@code S - s} a stage waits out every downstream
 * round trip: a 4-stage h10 run made 148 samples/s where its stages allowed about 280. Overlapping
 * holds one more per downstream boundary, so each round trip overlaps a step of compute. The price
 * is staleness: up to {@code 2(S - s) - 1} updates, which cost cnn about half a point of accuracy
 * after one epoch on three devices. So it is a schedule of its own, chosen per job.
 */
public final class InFlight {

    private InFlight() {
    }

    /**
     * Stage {@code stage}'s limit under {@code schedule}: GPipe's step of {@code microBatches}, or
     * 1F1B's (below).
     */
    public static int limit(String schedule, int stage, int stages, int microBatches) {
        return Schedules.GPIPE.equals(schedule) ? microBatches
                : oneFOneB(stage, stages, Schedules.ONE_F_ONE_B_OVERLAP.equals(schedule));
    }

    /**
     * Stage {@code stage}'s limit: one per stage from here to the last, and with {@code overlap} one
     * more per boundary between them.
     */
    public static int oneFOneB(int stage, int stages, boolean overlap) {
        if (stage < 0 || stage >= stages) {
            throw new IllegalArgumentException("stage " + stage + " of " + stages);
        }
        int downstream = stages - stage;
        return overlap ? downstream + (downstream - 1) : downstream;
    }
}
