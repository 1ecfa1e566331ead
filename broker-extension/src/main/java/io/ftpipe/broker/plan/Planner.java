package io.ftpipe.broker.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Splits a model's units into contiguous pipeline stages and places them on devices so that the
 * time per micro-batch (the slowest stage or boundary) is as small as possible. Exact for as many
 * devices as {@link ExactProgram} handles quickly; for larger fleets a search over device orders
 * ({@link OrderSearch}) that is checked against the exact program where both run. Pure functions.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * The fastest plan found: which devices to use (a device that only slows the pipeline is left
     * out), in which order, and where to cut. Among equally fast plans the one with fewest stages wins:
     * fewer hops, fewer moving parts.
     *
     * @throws IllegalArgumentException if the inputs are invalid or no placement fits in memory
     */
    public static Plan plan(List<UnitCost> units, List<DeviceCapacity> devices, Link link) {
        return plan(units, devices, link, Program.forSize(devices.size(), units.size()));
    }

    /** {@link #plan(List, List, Link)} by the given program, to compare the two. */
    public static Plan plan(List<UnitCost> units, List<DeviceCapacity> devices, Link link, Program program) {
        CostModel model = new CostModel(units, devices, link);
        return predict(model, place(model, nothingKept(model), Double.POSITIVE_INFINITY, List.of(), program));
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
        return plan(units, devices, link, current, Program.forSize(devices.size(), units.size()));
    }

    /** {@link #plan(List, List, Link, List)} by the given program, to compare the two. */
    public static Plan plan(List<UnitCost> units, List<DeviceCapacity> devices, Link link, List<StageAssignment> current,
                     Program program) {
        CostModel model = new CostModel(units, devices, link);
        int[] now = orderOf(model, current);
        List<StageAssignment> fastest = place(model, nothingKept(model), Double.POSITIVE_INFINITY, List.of(now),
                program);
        double bound = predict(model, fastest).predictedMillisPerMicroBatch();
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
        return predict(model, place(model, keptPrefix, bound, List.of(now, orderOf(model, fastest)), program));
    }

    /**
     * Both programs find the same kind of plan; only the search may miss the optimum, by how much
     * {@code OrderSearchAgainstExactTest} bounds.
     *
     * @param starts orders the search should try first (the running layout, the fastest plan)
     */
    private static List<StageAssignment> place(CostModel model, long[][] keptPrefix, double bound,
                                               List<int[]> starts, Program program) {
        if (program == Program.EXACT) {
            return ExactProgram.plan(model, keptPrefix, bound)
                    .orElseThrow(() -> new IllegalArgumentException(noFitMessage(model)));
        }
        List<int[]> orders = new ArrayList<>(starts);
        orders.addAll(OrderSearch.startingOrders(model));
        Placement best = OrderSearch.search(model, orders, keptPrefix, bound);
        if (!best.complete(model.unitCount())) {
            throw new IllegalArgumentException(noFitMessage(model));
        }
        return best.assignment(model);
    }

    private static long[][] nothingKept(CostModel model) {
        return new long[model.deviceCount()][model.unitCount() + 1];
    }

    /**
     * The devices of {@code stages} that are still in the model, in pipeline order, then the
     * others fastest first: a whole order to start a search from.
     */
    private static int[] orderOf(CostModel model, List<StageAssignment> stages) {
        boolean[] taken = new boolean[model.deviceCount()];
        List<Integer> order = new ArrayList<>();
        for (StageAssignment stage : stages) {
            for (int d = 0; d < model.deviceCount(); d++) {
                if (!taken[d] && model.device(d).id().equals(stage.device())) {
                    taken[d] = true;
                    order.add(d);
                }
            }
        }
        for (int d : OrderSearch.startingOrders(model).get(0)) {
            if (!taken[d]) {
                order.add(d);
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
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
