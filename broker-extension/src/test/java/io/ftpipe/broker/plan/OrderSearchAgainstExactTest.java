package io.ftpipe.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The order search against the exact program on every device count the exact program can check,
 * both forced on the same cases: the search's plan must be predicted within the margin of
 * the optimum, and must find a plan whenever one exists.
 */
class OrderSearchAgainstExactTest {

    private static final double MARGIN = 1.02;
    private static final int MAX_EXACT_DEVICES = 10;
    private static final int CASES_PER_COUNT = 40;

    @Test
    void theSearchIsWithinTheMarginOfTheOptimumOnEveryDeviceCountUpToTen() {
        Random random = new Random(20261201L);
        StringBuilder summary = new StringBuilder();
        for (int k = 1; k <= MAX_EXACT_DEVICES; k++) {
            double worstRatio = 1;
            String worstCase = "none";
            int optimal = 0;
            int infeasible = 0;
            for (int c = 0; c < CASES_PER_COUNT; c++) {
                RandomFleet fleet = RandomFleet.of(random, k, 1 + random.nextInt(40));
                String label = k + " devices, case " + c + ": " + fleet.units.size() + " units " + fleet.devices;
                Plan exact;
                try {
                    exact = Planner.plan(fleet.units, fleet.devices, fleet.link, Program.EXACT);
                } catch (IllegalArgumentException noFit) {
                    infeasible++;
                    assertThrows(IllegalArgumentException.class,
                            () -> Planner.plan(fleet.units, fleet.devices, fleet.link, Program.SEARCH), label);
                    continue;
                }
                Plan searched = Planner.plan(fleet.units, fleet.devices, fleet.link, Program.SEARCH);
                double ratio = searched.predictedMillisPerMicroBatch() / exact.predictedMillisPerMicroBatch();
                assertTrue(ratio >= 1 - 1e-12, "better than the optimum? " + label);
                optimal += ratio == 1 ? 1 : 0;
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worstCase = label;
                }
            }
            summary.append(String.format("%d devices: worst ratio %.6f, optimal %d of %d feasible%n", k, worstRatio,
                    optimal, CASES_PER_COUNT - infeasible));
            assertTrue(worstRatio <= MARGIN, "worst ratio " + worstRatio + " at " + worstCase + "\n" + summary);
        }
        System.out.print(summary);
    }

    @Test
    void aReplanBySearchIsAsFastAsTheExactOneWithinTheMarginAndKeepsAsMuchWhereBothAreOptimal() {
        Random random = new Random(20261202L);
        for (int k = 2; k <= MAX_EXACT_DEVICES; k++) {
            for (int c = 0; c < CASES_PER_COUNT / 4; c++) {
                RandomFleet fleet = RandomFleet.of(random, k, k + random.nextInt(30));
                Plan running;
                try {
                    running = Planner.speedBlind(fleet.units, fleet.devices, fleet.link);
                } catch (IllegalArgumentException noFit) {
                    continue;
                }
                List<StageAssignment> current = running.assignment();
                Plan exact = Planner.plan(fleet.units, fleet.devices, fleet.link, current, Program.EXACT);
                Plan searched = Planner.plan(fleet.units, fleet.devices, fleet.link, current, Program.SEARCH);
                String label = k + " devices, case " + c + ": " + fleet.devices + " now " + current;
                assertTrue(searched.predictedMillisPerMicroBatch() <= MARGIN * exact.predictedMillisPerMicroBatch(),
                        searched.predictedMillisPerMicroBatch() / exact.predictedMillisPerMicroBatch() + " " + label);
            }
        }
    }

    @Test
    void sixtyFourDevicesAndAHundredUnitsArePlannedFreshAndAgainstARunningLayout() {
        RandomFleet fleet = RandomFleet.of(new Random(64), 64, 100, false);
        assertEquals(Program.SEARCH, Program.forSize(64, 100));
        Plan plan = Planner.plan(fleet.units, fleet.devices, fleet.link);
        Plan blind = Planner.speedBlind(fleet.units, fleet.devices, fleet.link);
        assertTrue(plan.predictedMillisPerMicroBatch() < blind.predictedMillisPerMicroBatch(),
                plan.predictedMillisPerMicroBatch() + " against speed-blind " + blind.predictedMillisPerMicroBatch());
        Plan again = Planner.plan(fleet.units, fleet.devices, fleet.link, plan.assignment());
        assertTrue(again.predictedMillisPerMicroBatch() <= plan.predictedMillisPerMicroBatch());
        // The search starts from the running layout too, so it may find a faster plan; never an equal one that moves.
        if (again.predictedMillisPerMicroBatch() == plan.predictedMillisPerMicroBatch()) {
            assertEquals(plan.assignment(), again.assignment(), "an equally fast re-plan of the plan just made moves nothing");
        }
    }
}
