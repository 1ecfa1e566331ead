package io.ftpipe.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ordered program is exact for its order: over every order of the devices, its best
 * placement is the exact program's optimum (the optimum's devices appear in some order, and the
 * ordered program may skip the others).
 */
class OrderedProgramTest {

    @Test
    void theBestOverEveryOrderIsTheExactOptimum() {
        Random random = new Random(20261203L);
        for (int c = 0; c < 200; c++) {
            int k = 1 + random.nextInt(5);
            RandomFleet fleet = RandomFleet.of(random, k, 1 + random.nextInt(12));
            CostModel model = new CostModel(fleet.units, fleet.devices, fleet.link);
            long[][] nothingKept = new long[k][fleet.units.size() + 1];
            Placement best = null;
            for (int[] order : permutations(k)) {
                Placement placement = OrderedProgram.place(model, order, nothingKept, Double.POSITIVE_INFINITY, false);
                if (best == null || placement.betterThan(best)) {
                    best = placement;
                }
            }
            String label = "case " + c + ": " + fleet.units + " " + fleet.devices;
            var exact = ExactProgram.plan(model, nothingKept, Double.POSITIVE_INFINITY);
            assertEquals(exact.isPresent(), best.complete(fleet.units.size()), label);
            if (exact.isPresent()) {
                Plan optimum = Planner.predict(fleet.units, fleet.devices, fleet.link, exact.get());
                Plan ordered = Planner.predict(fleet.units, fleet.devices, fleet.link, best.assignment(model));
                assertEquals(optimum.predictedMillisPerMicroBatch(), ordered.predictedMillisPerMicroBatch(), label);
                assertEquals(optimum.predictedMillisPerMicroBatch(), best.worst(), label);
                assertEquals(optimum.stages().size(), best.stages(), "fewest stages, " + label);
            }
        }
    }

    @Test
    void aPlacementUsesEachDeviceOnceInTheGivenOrder() {
        RandomFleet fleet = RandomFleet.of(new Random(7), 6, 30);
        CostModel model = new CostModel(fleet.units, fleet.devices, fleet.link);
        int[] order = {5, 3, 1, 0, 2, 4};
        Placement placement = OrderedProgram.place(model, order, new long[6][31], Double.POSITIVE_INFINITY, false);
        int last = -1;
        for (int d : placement.devices()) {
            int at = indexOf(order, d);
            assertFalse(at <= last, "device " + d + " out of order in " + placement.assignment(model));
            last = at;
        }
    }

    private static int indexOf(int[] order, int d) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] == d) {
                return i;
            }
        }
        return -1;
    }

    static List<int[]> permutations(int k) {
        List<int[]> out = new ArrayList<>();
        permute(new int[k], new boolean[k], 0, out);
        return out;
    }

    private static void permute(int[] sofar, boolean[] used, int at, List<int[]> out) {
        if (at == sofar.length) {
            out.add(sofar.clone());
            return;
        }
        for (int d = 0; d < sofar.length; d++) {
            if (!used[d]) {
                used[d] = true;
                sofar[at] = d;
                permute(sofar, used, at + 1, out);
                used[d] = false;
            }
        }
    }
}
