package io.ftpipe.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplanTest {

    private static final Plan CURRENT = taking(100);

    @Test
    void replansWhenTheGainRepaysTheMigrationAndBeatsTheThreshold() {
        // 20 ms saved x 100 micro-batches = 2000 ms > 1000 ms migration; 20 % > 10 %.
        assertTrue(Replan.worthIt(CURRENT, taking(80), 1000, 100, 0.1));
    }

    @Test
    void staysWhenTooLittleWorkRemainsToRepayTheMigration() {
        // 20 ms x 40 = 800 ms < 1000 ms.
        assertFalse(Replan.worthIt(CURRENT, taking(80), 1000, 40, 0.1));
        assertFalse(Replan.worthIt(CURRENT, taking(80), 1000, 50, 0.1), "break-even is not a gain");
    }

    @Test
    void staysWhenTheRelativeGainIsBelowTheThreshold() {
        // 5 % better would repay a free migration many times over, but it is within measurement noise.
        assertFalse(Replan.worthIt(CURRENT, taking(95), 0, 1_000_000, 0.1));
        assertTrue(Replan.worthIt(CURRENT, taking(95), 0, 1_000_000, 0.04));
    }

    @Test
    void neverMovesToAnEqualOrWorsePlan() {
        assertFalse(Replan.worthIt(CURRENT, taking(100), 0, 1_000_000, 0));
        assertFalse(Replan.worthIt(CURRENT, taking(120), 0, 1_000_000, 0));
    }

    @Test
    void rejectsNegativeArguments() {
        assertThrows(IllegalArgumentException.class, () -> Replan.worthIt(CURRENT, taking(80), -1, 100, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Replan.worthIt(CURRENT, taking(80), 0, -1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Replan.worthIt(CURRENT, taking(80), 0, 100, -0.1));
    }

    @Test
    void betterMovesWorkOffADeviceMeasuredSlowAndKeepsAGoodLayout() {
        List<UnitCost> units = List.of(new UnitCost(10, 100, 1), new UnitCost(10, 100, 1), new UnitCost(10, 100, 1),
                new UnitCost(10, 100, 1));
        Link fast = Link.uniform(1e9, 0);
        List<StageAssignment> even = List.of(new StageAssignment("a", 0, 2), new StageAssignment("b", 2, 4));
        List<DeviceCapacity> equal = List.of(new DeviceCapacity("a", 1, 100), new DeviceCapacity("b", 1, 100));
        assertTrue(Replan.better(units, equal, fast, Planner.predict(units, equal, fast, even), 0, 1000, 0.1).isEmpty(),
                "already optimal");

        List<DeviceCapacity> bSlow = List.of(new DeviceCapacity("a", 1, 100), new DeviceCapacity("b", 3, 100));
        Plan now = Planner.predict(units, bSlow, fast, even);
        Plan moved = Replan.better(units, bSlow, fast, now, 0, 1000, 0.1).orElseThrow();
        // b at 3x: a takes three units (30 ms), b one (30 ms) instead of b's 60 ms.
        assertEquals(30, moved.predictedMillisPerMicroBatch(), 1e-9);
        assertTrue(Replan.better(units, bSlow, fast, now, 1e6, 1000, 0.1).isEmpty(), "migration too dear");
    }

    private static Plan taking(double millis) {
        return Plan.of(List.of(new Stage("a", 0, 1, millis, 0)));
    }
}
