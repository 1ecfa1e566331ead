package io.ftpipe.protocol;

/**
 * How many micro-batches a 1F1B stage may hold between its forward and its backward: the rule
 * the devices enforce and the central node feeds by.
 *
 * <p>PipeDream keeps {@code S - s} at stage {@code s} of {@code S}: enough to fill a pipeline whose
 * transfers cost nothing. Over MQTT every boundary costs a round trip through the broker (activation
 * out, gradient back, each behind whatever step the receiver is running), and with {@code S - s}
 * a stage waits out every downstream round trip: the pipeline then runs at {@code (S - s)} per
 * cycle, not at its slowest stage's pace (a 4-stage h10 run: 148 samples/s where its stages allowed
 * about 280). One more micro-batch per downstream boundary overlaps each round trip with a step of
 * compute. The price is a stashed weight version more per boundary, and weights one update staler.
 */
public final class InFlight {

    private InFlight() {
    }

    /** Stage {@code stage}'s limit: one per stage from here to the last, one per boundary between them. */
    public static int oneFOneB(int stage, int stages) {
        if (stage < 0 || stage >= stages) {
            throw new IllegalArgumentException("stage " + stage + " of " + stages);
        }
        int downstream = stages - stage;
        return downstream + (downstream - 1);
    }
}
