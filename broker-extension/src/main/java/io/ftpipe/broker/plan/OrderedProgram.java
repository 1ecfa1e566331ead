package io.ftpipe.broker.plan;

import java.util.Arrays;

/**
 * The best placement when the order of the devices along the pipeline is given: FTPipeHD's
 * dynamic program, which may skip devices but never reorders them. Without the set of devices
 * used in its state it is polynomial, so a search over orders can afford to run it many times.
 * Pure.
 */
final class OrderedProgram {

    private static final int NONE = -1;

    private OrderedProgram() {
    }

    /**
     * Over positions {@code p} of {@code order} and cut points {@code j}: the best placement of
     * units {@code [0, j)} whose last stage is on {@code order[p]}, best as {@link Placement}
     * ranks (more bytes kept, then the smaller bottleneck, then fewer stages). Every key only grows
     * as a placement is extended, so the best extension of the best prefix is best. For each
     * device and start, the best predecessor over all earlier positions is found once
     * ({@code via}) and then extended to every end that fits, which keeps the work at
     * positions squared times units plus positions times units squared.
     *
     * @param order      device indexes in pipeline order; devices not in it are not used
     * @param keptPrefix {@code keptPrefix[d][u]}: bytes of units {@code [0, u)} that stay if on device {@code d}
     * @param bound      no stage or boundary may take longer
     * @param smooth     rank equally fast placements by {@link Placement#spread} before stages: a
     *                   search then sees which of two orders with the same bottleneck is nearer to
     *                   a better one (the bottleneck alone stays exact, as it is ranked first)
     */
    static Placement place(CostModel model, int[] order, long[][] keptPrefix, double bound, boolean smooth) {
        int n = model.unitCount();
        int m = order.length;
        long[][] kept = new long[m][n + 1];
        double[][] worst = new double[m][n + 1];
        int[][] stages = new int[m][n + 1];
        double[][] spread = new double[m][n + 1];
        int[][] start = new int[m][n + 1];
        int[][] previous = new int[m][n + 1];
        for (long[] row : kept) {
            Arrays.fill(row, NONE);
        }
        long[] viaKept = new long[n];
        double[] viaWorst = new double[n];
        int[] viaStages = new int[n];
        double[] viaSpread = new double[n];
        int[] via = new int[n];
        int reached = 0;
        for (int p = 0; p < m; p++) {
            int d = order[p];
            Arrays.fill(viaKept, NONE);
            viaKept[0] = 0;
            viaWorst[0] = 0;
            viaStages[0] = 0;
            viaSpread[0] = 0;
            via[0] = NONE;
            for (int q = 0; q < p; q++) {
                for (int i = 1; i < n; i++) {
                    if (kept[q][i] == NONE) {
                        continue;
                    }
                    double send = model.sendMillis(order[q], d, i);
                    if (send > bound) {
                        continue;
                    }
                    double upToBoundary = Math.max(worst[q][i], send);
                    double spreadToBoundary = spread[q][i] + send * send;
                    if (better(kept[q][i], upToBoundary, smooth ? spreadToBoundary : 0, stages[q][i],
                            viaKept[i], viaWorst[i], smooth ? viaSpread[i] : 0, viaStages[i])) {
                        viaKept[i] = kept[q][i];
                        viaWorst[i] = upToBoundary;
                        viaSpread[i] = spreadToBoundary;
                        viaStages[i] = stages[q][i];
                        via[i] = q;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (viaKept[i] == NONE) {
                    continue;
                }
                // Memory and compute only grow with j, so the first stage past either ends the scan.
                for (int j = i + 1; j <= n && model.fits(d, i, j); j++) {
                    double compute = model.computeMillis(d, i, j);
                    if (compute > bound) {
                        break;
                    }
                    long candidateKept = viaKept[i] + keptPrefix[d][j] - keptPrefix[d][i];
                    double candidateWorst = Math.max(viaWorst[i], compute);
                    double candidateSpread = viaSpread[i] + compute * compute;
                    if (better(candidateKept, candidateWorst, smooth ? candidateSpread : 0, viaStages[i] + 1,
                            kept[p][j], worst[p][j], smooth ? spread[p][j] : 0, stages[p][j])) {
                        kept[p][j] = candidateKept;
                        worst[p][j] = candidateWorst;
                        spread[p][j] = candidateSpread;
                        stages[p][j] = viaStages[i] + 1;
                        start[p][j] = i;
                        previous[p][j] = via[i];
                    }
                    reached = Math.max(reached, j);
                }
            }
        }
        int best = NONE;
        for (int p = 0; p < m; p++) {
            if (kept[p][n] != NONE && (best == NONE || better(kept[p][n], worst[p][n], smooth ? spread[p][n] : 0,
                    stages[p][n], kept[best][n], worst[best][n], smooth ? spread[best][n] : 0, stages[best][n]))) {
                best = p;
            }
        }
        if (best == NONE) {
            return Placement.nothing(reached);
        }
        int count = stages[best][n];
        int[] devices = new int[count];
        int[] ends = new int[count];
        for (int s = count - 1, p = best, j = n; s >= 0; s--) {
            devices[s] = order[p];
            ends[s] = j;
            int from = start[p][j];
            p = previous[p][j];
            j = from;
        }
        return new Placement(n, kept[best][n], worst[best][n], smooth ? spread[best][n] : 0, devices, ends);
    }

    /**
     * More bytes kept, then a smaller bottleneck, then a smaller spread, then fewer stages;
     * {@code NONE} kept is nothing yet.
     */
    private static boolean better(long kept, double worst, double spread, int stages, long thanKept,
                                  double thanWorst, double thanSpread, int thanStages) {
        if (thanKept == NONE || kept != thanKept) {
            return thanKept == NONE || kept > thanKept;
        }
        if (worst != thanWorst) {
            return worst < thanWorst;
        }
        return spread < thanSpread || spread == thanSpread && stages < thanStages;
    }
}
