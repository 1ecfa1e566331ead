package io.ftpipe.broker.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link OrderedProgram} makes of one device order: the stages it chose, by device index,
 * and the keys a search compares placements by. A placement that does not cover every unit is
 * kept too, with how far it got, so that a search can climb out of orders where nothing fits.
 *
 * @param reached units covered ({@code [0, reached)}); all of them for a complete placement
 * @param kept    bytes of units that stay on the device holding them now
 * @param worst   the slowest stage or boundary
 * @param spread  sum of the squares of every stage's and boundary's time when the program was asked
 *                to rank by it, else zero: of two equally fast placements, the one with less work
 *                piled on its other stages is likelier to lead to a faster one
 * @param devices device index of each stage, in pipeline order; empty when incomplete
 * @param ends    where each stage ends, in pipeline order
 */
record Placement(int reached, long kept, double worst, double spread, int[] devices, int[] ends) {

    static Placement nothing(int reached) {
        return new Placement(reached, 0, Double.POSITIVE_INFINITY, 0, new int[0], new int[0]);
    }

    boolean complete(int units) {
        return reached == units;
    }

    int stages() {
        return devices.length;
    }

    /**
     * Further first; then more bytes kept, a smaller bottleneck, a smaller spread, fewer stages
     * (fewer hops, fewer moving parts): the exact program's preferences, with the spread between.
     */
    boolean betterThan(Placement other) {
        if (reached != other.reached) {
            return reached > other.reached;
        }
        if (kept != other.kept) {
            return kept > other.kept;
        }
        if (worst != other.worst) {
            return worst < other.worst;
        }
        if (spread != other.spread) {
            return spread < other.spread;
        }
        return stages() < other.stages();
    }

    List<StageAssignment> assignment(CostModel model) {
        List<StageAssignment> stages = new ArrayList<>();
        for (int s = 0, from = 0; s < devices.length; s++) {
            stages.add(new StageAssignment(model.device(devices[s]).id(), from, ends[s]));
            from = ends[s];
        }
        return stages;
    }
}
