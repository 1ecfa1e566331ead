package io.ftpipe.protocol;

import java.util.List;

/** The schedules a job can run, by the names an {@code assign} carries and a job request gives. */
public final class Schedules {
    /** Asynchronous, PipeDream's 1F1B: an optimizer step after every backward, weights stashed. */
    public static final String ONE_F_ONE_B = "1f1b";
    /** 1F1B with more micro-batches in flight, to overlap the broker's round trips ({@link InFlight}). */
    public static final String ONE_F_ONE_B_OVERLAP = "1f1b-overlap";
    /** Synchronous: gradients of a step's micro-batches accumulate, one optimizer step per step. */
    public static final String GPIPE = "gpipe";
    public static final List<String> NAMES = List.of(ONE_F_ONE_B, ONE_F_ONE_B_OVERLAP, GPIPE);

    private Schedules() {
    }
}
