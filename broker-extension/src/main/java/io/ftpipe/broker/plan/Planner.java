package io.ftpipe.broker.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Splits a model's units into contiguous pipeline stages and places them on devices so that the
 * time per micro-batch (the slowest stage or boundary) is as small as possible. Pure functions.
 */
public final class Planner {

    /**
     * The DP's state space grows with 2^devices * devices^2; beyond this a call would take
     * minutes, and the cluster sizes we target are far smaller.
     */
    public static final int MAX_DEVICES = 10;

    private static final int NONE = -1;

    private Planner() {
    }

    /**
     * The fastest plan: which devices to use (a device that only slows the pipeline is left out),
     * in which order, and where to cut. Among equally fast plans the one with fewest stages wins:
     * fewer hops, fewer moving parts.
     *
     * @throws IllegalArgumentException if the inputs are invalid or no placement fits in memory
     */
    public static Plan plan(List<UnitCost> units, List<DeviceCapacity> devices, Link link) {
        return fastest(model(units, devices, link));
    }

    /**
     * The fastest plan for a pipeline that runs {@code current} now: among equally fast plans, the
     * one that leaves the most of the model where it is (memory bytes of the units that stay with
     * their device), then the one with fewest stages. The bottleneck stage sets a plan's time, so
     * the stages around it can often be arranged in many equally fast ways; every unit that moves
     * is weights and optimizer state to collect and send while the pipeline stands drained.
     * Stages of {@code current} on devices not in {@code devices} (failed ones) keep nothing.
     *
     * @throws IllegalArgumentException if the inputs are invalid or no placement fits in memory
     */
    public static Plan plan(List<UnitCost> units, List<DeviceCapacity> devices, Link link,
                            List<StageAssignment> current) {
        CostModel model = model(units, devices, link);
        double fastest = fastest(model).predictedMillisPerMicroBatch();
        long[][] keptPrefix = new long[model.deviceCount()][model.unitCount() + 1];
        for (int d = 0; d < model.deviceCount(); d++) {
            for (StageAssignment stage : current) {
                if (stage.device().equals(model.device(d).id())) {
                    for (int u = stage.from(); u < Math.min(stage.to(), model.unitCount()); u++) {
                        keptPrefix[d][u + 1] = model.memoryBytes(u, u + 1);
                    }
                }
            }
        }
        for (long[] row : keptPrefix) {
            Arrays.parallelPrefix(row, Math::addExact);
        }
        return search(model, keptPrefix, fastest);
    }

    private static Plan fastest(CostModel model) {
        return search(model, new long[model.deviceCount()][model.unitCount() + 1], Double.POSITIVE_INFINITY);
    }

    private static CostModel model(List<UnitCost> units, List<DeviceCapacity> devices, Link link) {
        CostModel model = new CostModel(units, devices, link);
        if (model.deviceCount() > MAX_DEVICES) {
            throw new IllegalArgumentException("at most " + MAX_DEVICES + " devices can be planned, got "
                    + model.deviceCount());
        }
        return model;
    }

    /**
     * FTPipeHD's DP keeps the devices' given order; here the order is part of the search, via a DP
     * over (units placed, set of devices used, last device): {@code kept[j][used][last]} and
     * {@code worst[j][used][last]} describe the best placement of units {@code [0, j)} on exactly
     * the devices in {@code used}, {@code last} holding the final stage, where best is most bytes
     * kept, then the smallest bottleneck. The last stage's outgoing boundary is charged when the
     * next stage (and so the receiving device) is chosen. Both keys only grow as a placement is
     * extended (bytes add up, the bottleneck is a maximum), so the best extension of the best
     * prefix is best.
     *
     * @param keptPrefix {@code keptPrefix[d][u]}: bytes of units {@code [0, u)} that stay if on device {@code d}
     * @param bound      no stage or boundary may take longer
     */
    private static Plan search(CostModel model, long[][] keptPrefix, double bound) {
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
            throw new IllegalArgumentException(noFitMessage(model));
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
        return predict(model, stages);
    }

    /** More bytes kept, or as many and a smaller bottleneck; {@code NONE} kept is no placement yet. */
    private static boolean better(long kept, double worst, long thanKept, double thanWorst) {
        return thanKept == NONE || kept > thanKept || kept == thanKept && worst < thanWorst;
    }

    /**
     * The baseline a speed-blind planner (PipeDream's) gives: every device, in the given order,
     * with the cut that balances reference compute (minimises the largest stage's reference time)
     * while fitting each device's memory. Its prediction uses the TRUE slowdowns, which is what
     * the pipeline would actually run at. Ties between equally balanced cuts go to the earliest cut.
     *
     * @throws IllegalArgumentException if the inputs are invalid, there are fewer units than
     *                                  devices, or no such split fits in memory
     */
    public static Plan speedBlind(List<UnitCost> units, List<DeviceCapacity> devices, Link link) {
        CostModel model = new CostModel(units, devices, link);
        int n = model.unitCount();
        int k = model.deviceCount();
        if (n < k) {
            throw new IllegalArgumentException("a speed-blind plan puts a stage on every device: "
                    + k + " devices need at least " + k + " units, got " + n);
        }
        // largest[s][j]: smallest largest-stage reference time for units [0, j) on devices 0..s-1.
        double[][] largest = new double[k + 1][n + 1];
        int[][] cut = new int[k + 1][n + 1];
        for (double[] row : largest) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        largest[0][0] = 0;
        for (int s = 1; s <= k; s++) {
            for (int j = s; j <= n; j++) {
                for (int i = s - 1; i < j; i++) {
                    if (largest[s - 1][i] == Double.POSITIVE_INFINITY || !model.fits(s - 1, i, j)) {
                        continue;
                    }
                    double candidate = Math.max(largest[s - 1][i], model.referenceMillis(i, j));
                    if (candidate < largest[s][j]) {
                        largest[s][j] = candidate;
                        cut[s][j] = i;
                    }
                }
            }
        }
        if (largest[k][n] == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("no split of " + n + " units over all " + k
                    + " devices in their given order fits every device's memory");
        }
        List<StageAssignment> stages = new ArrayList<>();
        for (int s = k, j = n; s > 0; s--) {
            stages.add(new StageAssignment(model.device(s - 1).id(), cut[s][j], j));
            j = cut[s][j];
        }
        Collections.reverse(stages);
        return predict(model, stages);
    }

    /**
     * Costs a given assignment: stages in pipeline order, contiguous from unit 0 to the last unit,
     * each on a distinct known device whose memory holds it.
     *
     * @throws IllegalArgumentException if the assignment is not such a placement
     */
    public static Plan predict(List<UnitCost> units, List<DeviceCapacity> devices, Link link,
                               List<StageAssignment> assignment) {
        return predict(new CostModel(units, devices, link), assignment);
    }

    private static Plan predict(CostModel model, List<StageAssignment> assignment) {
        if (assignment == null || assignment.isEmpty()) {
            throw new IllegalArgumentException("an assignment needs at least one stage");
        }
        int[] onDevice = new int[assignment.size()];
        boolean[] taken = new boolean[model.deviceCount()];
        int expectedFrom = 0;
        for (int s = 0; s < assignment.size(); s++) {
            StageAssignment stage = assignment.get(s);
            int d = model.indexOf(stage.device());
            if (taken[d]) {
                throw new IllegalArgumentException("device " + stage.device() + " holds more than one stage");
            }
            taken[d] = true;
            if (stage.from() != expectedFrom || stage.to() <= stage.from() || stage.to() > model.unitCount()) {
                throw new IllegalArgumentException("stage " + s + " must start at unit " + expectedFrom
                        + " and end after it, within " + model.unitCount() + " units; got ["
                        + stage.from() + ", " + stage.to() + ")");
            }
            if (!model.fits(d, stage.from(), stage.to())) {
                throw new IllegalArgumentException("stage " + s + " needs " + model.memoryBytes(stage.from(), stage.to())
                        + " bytes but device " + stage.device() + " has " + model.device(d).memoryBytes());
            }
            onDevice[s] = d;
            expectedFrom = stage.to();
        }
        if (expectedFrom != model.unitCount()) {
            throw new IllegalArgumentException("stages cover units [0, " + expectedFrom + ") but there are "
                    + model.unitCount());
        }
        List<Stage> stages = new ArrayList<>();
        for (int s = 0; s < assignment.size(); s++) {
            StageAssignment stage = assignment.get(s);
            boolean lastStage = s == assignment.size() - 1;
            double send = lastStage ? 0 : model.sendMillis(onDevice[s], onDevice[s + 1], stage.to());
            stages.add(new Stage(stage.device(), stage.from(), stage.to(),
                    model.computeMillis(onDevice[s], stage.from(), stage.to()), send));
        }
        return Plan.of(stages);
    }

    /** Names the most likely culprit, so the operator knows whether to add memory or split finer. */
    private static String noFitMessage(CostModel model) {
        long largestDevice = 0;
        long totalDevices = 0;
        for (int d = 0; d < model.deviceCount(); d++) {
            largestDevice = Math.max(largestDevice, model.device(d).memoryBytes());
            totalDevices = Math.addExact(totalDevices, model.device(d).memoryBytes());
        }
        for (int u = 0; u < model.unitCount(); u++) {
            if (model.memoryBytes(u, u + 1) > largestDevice) {
                return "no plan fits in memory: unit " + u + " alone needs " + model.memoryBytes(u, u + 1)
                        + " bytes but the largest device has " + largestDevice;
            }
        }
        return "no plan fits in memory: the " + model.unitCount() + " units need "
                + model.memoryBytes(0, model.unitCount()) + " bytes in contiguous stages, at most one per device,"
                + " and the " + model.deviceCount() + " devices (" + totalDevices + " bytes in all) cannot hold them";
    }
}
