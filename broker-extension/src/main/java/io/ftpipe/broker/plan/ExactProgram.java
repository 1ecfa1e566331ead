package io.ftpipe.broker.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The exact plan, by a dynamic program over every subset of devices. Its state space doubles with
 * each device, so {@link Planner} uses it only while {@link #isFast} says so. Pure.
 */
final class ExactProgram {

    private static final int NONE = -1;

    /**
     * Work the program may do on one call before the order search takes over, in state
     * extensions (subsets times last device times last device again times pairs of cut points).
     * Measured with {@code ftpipe bench planner} and the search's own timing: below this the exact
     * program is no slower than the search, above it the exact program's time grows past the
     * search's with every device added, doubling and more.
     */
    static final double WORK_BUDGET = 1.5e8;

    /** Above this the tables alone would not fit a broker's heap, however fast the machine. */
    private static final long MAX_STATES = 1L << 24;

    private ExactProgram() {
    }

    /** Whether the program's work and tables for this many devices and units stay within budget. */
    static boolean isFast(int devices, int units) {
        if (devices >= Integer.SIZE - 2) {
            return false;
        }
        double subsets = Math.pow(2, devices);
        double states = subsets * devices * (units + 1.0);
        double work = subsets * devices * devices * (units + 1.0) * (units + 1.0) / 2;
        return states <= MAX_STATES && work <= WORK_BUDGET;
    }

    /**
     * FTPipeHD's DP keeps the devices' given order; here the order is part of the search, via a DP
     * over (units placed, set of devices used, last device): {@code kept[j][used][last]} and
     * {@code worst[j][used][last]} describe the best placement of units {@code [0, j)} on exactly
     * the devices in {@code used}, {@code last} holding the final stage, where best is most bytes
     * kept, then the smallest bottleneck. The last stage's outgoing boundary is charged when the
     * next stage (and so the receiving device) is chosen. Both keys only grow as a placement is
     * extended (bytes add up, the bottleneck is a maximum), so the best extension of the best
     * prefix is best. Among equally good placements the one on fewest devices wins.
     *
     * @param keptPrefix {@code keptPrefix[d][u]}: bytes of units {@code [0, u)} that stay if on device {@code d}
     * @param bound      no stage or boundary may take longer
     * @return the stages, or empty if no placement fits in memory within the bound
     */
    static Optional<List<StageAssignment>> plan(CostModel model, long[][] keptPrefix, double bound) {
        int n = model.unitCount();
        int k = model.deviceCount();
        int masks = 1 << k;
        long[][][] kept = new long[n + 1][masks][k];
        double[][][] worst = new double[n + 1][masks][k];
        int[][][] stageStart = new int[n + 1][masks][k];
        int[][][] previous = new int[n + 1][masks][k];
        for (long[][] byMask : kept) {
            for (long[] byLast : byMask) {
                Arrays.fill(byLast, NONE);
            }
        }
        for (int d = 0; d < k; d++) {
            for (int j = 1; j <= n && model.fits(d, 0, j); j++) {
                double compute = model.computeMillis(d, 0, j);
                if (compute <= bound) {
                    kept[j][1 << d][d] = keptPrefix[d][j];
                    worst[j][1 << d][d] = compute;
                    stageStart[j][1 << d][d] = 0;
                    previous[j][1 << d][d] = NONE;
                }
            }
        }
        // States at i are final before any are extended, since every stage moves j forward.
        for (int i = 1; i < n; i++) {
            for (int used = 1; used < masks; used++) {
                for (int last = 0; last < k; last++) {
                    if (kept[i][used][last] == NONE) {
                        continue;
                    }
                    for (int d = 0; d < k; d++) {
                        if ((used & (1 << d)) != 0) {
                            continue;
                        }
                        double send = model.sendMillis(last, d, i);
                        if (send > bound) {
                            continue;
                        }
                        int next = used | (1 << d);
                        double upToBoundary = Math.max(worst[i][used][last], send);
                        // Memory only grows with j, so the first stage that does not fit ends the scan.
                        for (int j = i + 1; j <= n && model.fits(d, i, j); j++) {
                            double compute = model.computeMillis(d, i, j);
                            long candidateKept = kept[i][used][last] + keptPrefix[d][j] - keptPrefix[d][i];
                            double candidateWorst = Math.max(upToBoundary, compute);
                            if (compute <= bound && better(candidateKept, candidateWorst, kept[j][next][d],
                                    worst[j][next][d])) {
                                kept[j][next][d] = candidateKept;
                                worst[j][next][d] = candidateWorst;
                                stageStart[j][next][d] = i;
                                previous[j][next][d] = last;
                            }
                        }
                    }
                }
            }
        }
        int bestUsed = NONE;
        int bestLast = NONE;
        for (int used = 1; used < masks; used++) {
            for (int last = 0; last < k; last++) {
                if (kept[n][used][last] == NONE) {
                    continue;
                }
                if (bestUsed == NONE || better(kept[n][used][last], worst[n][used][last], kept[n][bestUsed][bestLast],
                        worst[n][bestUsed][bestLast]) || kept[n][used][last] == kept[n][bestUsed][bestLast]
                        && worst[n][used][last] == worst[n][bestUsed][bestLast]
                        && Integer.bitCount(used) < Integer.bitCount(bestUsed)) {
                    bestUsed = used;
                    bestLast = last;
                }
            }
        }
        if (bestUsed == NONE) {
            return Optional.empty();
        }
        List<StageAssignment> stages = new ArrayList<>();
        for (int j = n, used = bestUsed, last = bestLast; last != NONE; ) {
            int start = stageStart[j][used][last];
            int before = previous[j][used][last];
            stages.add(new StageAssignment(model.device(last).id(), start, j));
            used &= ~(1 << last);
            j = start;
            last = before;
        }
        Collections.reverse(stages);
        return Optional.of(stages);
    }

    /** More bytes kept, or as many and a smaller bottleneck; {@code NONE} kept is no placement yet. */
    private static boolean better(long kept, double worst, long thanKept, double thanWorst) {
        return thanKept == NONE || kept > thanKept || kept == thanKept && worst < thanWorst;
    }
}
