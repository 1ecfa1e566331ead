package io.ftpipe.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DP against exhaustive search over every ordered subset of devices and every contiguous split. */
class PlannerBruteForceTest {

    private static final int CASES = 1500;

    @Test
    void dpMatchesBruteForceOnRandomSmallCases() {
        Random random = new Random(20240611L);
        int infeasible = 0;
        for (int c = 0; c < CASES; c++) {
            List<UnitCost> units = randomUnits(random);
            List<DeviceCapacity> devices = randomDevices(random);
            Link link = randomLink(random, devices.size());
            Best brute = bruteForce(units, devices, link);
            String label = "case " + c + ": " + units + " " + devices;
            if (brute.plan == null) {
                infeasible++;
                assertThrows(IllegalArgumentException.class, () -> Planner.plan(units, devices, link), label);
                continue;
            }
            Plan plan = Planner.plan(units, devices, link);
            assertEquals(brute.plan.predictedMillisPerMicroBatch(), plan.predictedMillisPerMicroBatch(),
                    1e-9 * brute.plan.predictedMillisPerMicroBatch(), label);
            assertEquals(brute.fewestStages, plan.stages().size(), "fewest stages among optimal plans, " + label);
            assertFitsInMemory(plan, units, devices);
        }
        // Guard the generator: both outcomes must actually be exercised.
        assertTrue(infeasible > CASES / 20 && infeasible < CASES / 2, "infeasible cases: " + infeasible);
    }

    /**
     * Whole-number costs and a free network make equally fast plans common: among them, the DP
     * that knows the current layout must find one keeping the most bytes in place.
     */
    @Test
    void withACurrentLayoutTheDpKeepsTheMostBytesAmongTheFastestPlans() {
        Random random = new Random(20261124L);
        int moreKept = 0;
        for (int c = 0; c < CASES; c++) {
            List<UnitCost> units = new ArrayList<>();
            for (int u = 0, n = 1 + random.nextInt(6); u < n; u++) {
                units.add(new UnitCost(1 + random.nextInt(4), 0, 1 + random.nextInt(100)));
            }
            List<DeviceCapacity> devices = new ArrayList<>();
            for (int d = 0, k = 1 + random.nextInt(4); d < k; d++) {
                devices.add(new DeviceCapacity("d" + d, 1 + random.nextInt(3), Long.MAX_VALUE / 16));
            }
            Link link = Link.uniform(1, 0);
            List<StageAssignment> current = randomLayout(random, units.size(), devices.size() + 1);
            String label = "case " + c + ": " + units + " " + devices + " now " + current;
            Best brute = bruteForce(units, devices, link);
            Plan plain = Planner.plan(units, devices, link);
            Plan plan = Planner.plan(units, devices, link, current);
            assertEquals(brute.plan.predictedMillisPerMicroBatch(), plan.predictedMillisPerMicroBatch(), label);
            long most = mostKept(units, devices, link, current, brute.plan.predictedMillisPerMicroBatch());
            assertEquals(most, kept(plan, units, current), label);
            moreKept += kept(plan, units, current) > kept(plain, units, current) ? 1 : 0;
        }
        assertTrue(moreKept > CASES / 10, "cases where knowing the layout kept more: " + moreKept);
    }

    /** Stages over devices d0.. in random order, one of which may be a device that has gone. */
    private static List<StageAssignment> randomLayout(Random random, int units, int devices) {
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            order.add(d);
        }
        java.util.Collections.shuffle(order, random);
        List<StageAssignment> layout = new ArrayList<>();
        for (int from = 0, s = 0; from < units; s++) {
            int to = s == order.size() - 1 ? units : from + 1 + random.nextInt(units - from);
            layout.add(new StageAssignment("d" + order.get(s), from, to));
            from = to;
        }
        return layout;
    }

    private static long kept(Plan plan, List<UnitCost> units, List<StageAssignment> current) {
        long bytes = 0;
        for (Stage stage : plan.stages()) {
            for (StageAssignment now : current) {
                if (now.device().equals(stage.device())) {
                    for (int u = Math.max(stage.from(), now.from()); u < Math.min(stage.to(), now.to()); u++) {
                        bytes += units.get(u).memoryBytes();
                    }
                }
            }
        }
        return bytes;
    }

    private static long mostKept(List<UnitCost> units, List<DeviceCapacity> devices, Link link,
                                 List<StageAssignment> current, double fastest) {
        List<Plan> all = new ArrayList<>();
        every(units, devices, link, new ArrayList<>(), 0, new boolean[devices.size()], all);
        return all.stream().filter(p -> p.predictedMillisPerMicroBatch() == fastest)
                .mapToLong(p -> kept(p, units, current)).max().orElseThrow();
    }

    private static void every(List<UnitCost> units, List<DeviceCapacity> devices, Link link,
                              List<StageAssignment> sofar, int from, boolean[] used, List<Plan> all) {
        if (from == units.size()) {
            all.add(Planner.predict(units, devices, link, sofar));
            return;
        }
        for (int d = 0; d < devices.size(); d++) {
            if (!used[d]) {
                used[d] = true;
                for (int to = from + 1; to <= units.size(); to++) {
                    sofar.add(new StageAssignment(devices.get(d).id(), from, to));
                    every(units, devices, link, sofar, to, used, all);
                    sofar.remove(sofar.size() - 1);
                }
                used[d] = false;
            }
        }
    }

    private static void assertFitsInMemory(Plan plan, List<UnitCost> units, List<DeviceCapacity> devices) {
        for (Stage stage : plan.stages()) {
            long need = units.subList(stage.from(), stage.to()).stream().mapToLong(UnitCost::memoryBytes).sum();
            long has = devices.stream().filter(d -> d.id().equals(stage.device())).findFirst().orElseThrow().memoryBytes();
            assertTrue(need <= has, stage + " needs " + need + " but its device has " + has);
        }
    }

    private static List<UnitCost> randomUnits(Random random) {
        List<UnitCost> units = new ArrayList<>();
        int n = 1 + random.nextInt(6);
        for (int u = 0; u < n; u++) {
            units.add(new UnitCost(1 + 99 * random.nextDouble(), random.nextInt(1_000_000), 1 + random.nextInt(100)));
        }
        return units;
    }

    private static List<DeviceCapacity> randomDevices(Random random) {
        List<DeviceCapacity> devices = new ArrayList<>();
        int k = 1 + random.nextInt(4);
        boolean memoryBound = random.nextBoolean();
        for (int d = 0; d < k; d++) {
            long memory = memoryBound ? 50 + random.nextInt(250) : Long.MAX_VALUE / 16;
            devices.add(new DeviceCapacity("d" + d, 1 + 9 * random.nextDouble(), memory));
        }
        return devices;
    }

    /** Per-pair, asymmetric bandwidth, so that the device order matters to the optimum. */
    private static Link randomLink(Random random, int k) {
        double[][] rate = new double[k][k];
        for (double[] row : rate) {
            for (int j = 0; j < k; j++) {
                row[j] = 1_000 + 200_000 * random.nextDouble();
            }
        }
        Bandwidth bandwidth = (from, to) -> rate[Integer.parseInt(from.substring(1))][Integer.parseInt(to.substring(1))];
        return new Link(bandwidth, 5 * random.nextDouble());
    }

    private static final class Best {
        Plan plan;
        int fewestStages;
    }

    private static Best bruteForce(List<UnitCost> units, List<DeviceCapacity> devices, Link link) {
        Best best = new Best();
        extend(units, devices, link, new ArrayList<>(), 0, new boolean[devices.size()], best);
        return best;
    }

    private static void extend(List<UnitCost> units, List<DeviceCapacity> devices, Link link,
                               List<StageAssignment> sofar, int from, boolean[] used, Best best) {
        if (from == units.size()) {
            Plan plan = Planner.predict(units, devices, link, sofar);
            double value = plan.predictedMillisPerMicroBatch();
            if (best.plan == null || value < best.plan.predictedMillisPerMicroBatch()) {
                best.plan = plan;
                best.fewestStages = sofar.size();
            } else if (value == best.plan.predictedMillisPerMicroBatch()) {
                best.fewestStages = Math.min(best.fewestStages, sofar.size());
            }
            return;
        }
        for (int d = 0; d < devices.size(); d++) {
            if (used[d]) {
                continue;
            }
            used[d] = true;
            long memory = 0;
            for (int to = from + 1; to <= units.size(); to++) {
                memory += units.get(to - 1).memoryBytes();
                if (memory > devices.get(d).memoryBytes()) {
                    break;
                }
                sofar.add(new StageAssignment(devices.get(d).id(), from, to));
                extend(units, devices, link, sofar, to, used, best);
                sofar.remove(sofar.size() - 1);
            }
            used[d] = false;
        }
    }
}
