package io.ftpipe.broker.central;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a new term after a break replays so that each unit gets each micro-batch's update exactly
 * once. Every unit's version is the micro-batch below which its state holds every update. The
 * term starts at the oldest version (or at the first micro-batch not finished, if that is older),
 * every stage runs every micro-batch from there forward and backward, and a unit takes a
 * micro-batch's update only from its version on. Units restored from an old replica get the
 * updates they lost; units that already hold an update pass the gradient on without applying it.
 * Pure.
 *
 * @param start             the new term's first micro-batch
 * @param resumeAt          the first micro-batch not finished: those in {@code [start, resumeAt)} are
 *                          replayed only for the units that lost their updates, and their samples
 *                          are not counted again
 * @param versions          per unit, the version the devices are told: they apply updates from it on
 * @param iterationsLost    the most micro-batches of updates a unit never gets
 * @param updatesAppliedTwice the most micro-batches whose update a unit gets a second time
 */
record ReplayPlan(long start, long resumeAt, Map<Integer, Long> versions, long iterationsLost,
                  long updatesAppliedTwice) {

    /**
     * @param held       per unit, the version of the state it resumes from
     * @param resumeAt   the first micro-batch not finished (under GPipe, its step's first)
     * @param replayLost replay what restored units lost; without it the term starts at {@code resumeAt}
     *                   and the updates those units lost are lost (counted), which replays less
     * @throws IllegalArgumentException if a version is negative
     */
    static ReplayPlan of(Map<Integer, Long> held, long resumeAt, boolean replayLost) {
        long start = resumeAt;
        Map<Integer, Long> told = new TreeMap<>();
        for (Map.Entry<Integer, Long> e : held.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("unit " + e.getKey() + " has version " + e.getValue()
                        + ", below 0");
            }
            // Without a replay a unit behind resumeAt never gets those updates: it goes on as if it had.
            long version = replayLost ? e.getValue() : Math.max(e.getValue(), resumeAt);
            told.put(e.getKey(), version);
            start = Math.min(start, version);
        }
        long lost = 0;
        long twice = 0;
        for (Map.Entry<Integer, Long> e : held.entrySet()) {
            long version = told.get(e.getKey());
            // A device applies micro-batch i to a unit when i >= max(start, version).
            long from = Math.max(start, version);
            lost = Math.max(lost, from - Math.min(from, e.getValue()));
            twice = Math.max(twice, e.getValue() - Math.min(e.getValue(), from));
        }
        return new ReplayPlan(start, resumeAt, Map.copyOf(told), lost, twice);
    }

    /** Micro-batches fed again only to give restored units the updates they lost. */
    long caughtUp() {
        return resumeAt - start;
    }
}
