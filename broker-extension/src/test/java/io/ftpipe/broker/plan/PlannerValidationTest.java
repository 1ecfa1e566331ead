package io.ftpipe.broker.plan;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PlannerValidationTest {

    private static final Link LINK = Link.uniform(1000, 0.1);
    private static final List<UnitCost> THREE_UNITS = Collections.nCopies(3, new UnitCost(1, 10, 100));

    @Test
    void aUnitLargerThanEveryDeviceIsNamed() {
        List<UnitCost> units = List.of(new UnitCost(1, 10, 100), new UnitCost(1, 10, 900), new UnitCost(1, 10, 100));
        List<DeviceCapacity> devices = List.of(new DeviceCapacity("a", 1, 500), new DeviceCapacity("b", 1, 500));
        assertMessage(() -> Planner.plan(units, devices, LINK), "unit 1 alone needs 900 bytes but the largest device has 500");
    }

    @Test
    void tooLittleMemoryInAllIsExplained() {
        List<DeviceCapacity> devices = List.of(new DeviceCapacity("a", 1, 150), new DeviceCapacity("b", 1, 150));
        assertMessage(() -> Planner.plan(THREE_UNITS, devices, LINK), "need 300 bytes");
        assertMessage(() -> Planner.plan(THREE_UNITS, devices, LINK), "cannot hold them");
    }

    @Test
    void invalidInputsAreRejected() {
        List<DeviceCapacity> one = List.of(new DeviceCapacity("a", 1, 1000));
        assertMessage(() -> Planner.plan(List.of(), one, LINK), "at least one unit");
        assertMessage(() -> Planner.plan(THREE_UNITS, List.of(), LINK), "at least one device");
        assertMessage(() -> Planner.plan(THREE_UNITS, one, null), "link must not be null");
        assertMessage(() -> Planner.plan(THREE_UNITS, List.of(new DeviceCapacity("a", 1, 1000),
                new DeviceCapacity("a", 2, 1000)), LINK), "appears twice");
        assertMessage(() -> new DeviceCapacity("a", 0, 1000), "slowdown");
        assertMessage(() -> new DeviceCapacity("a", Double.NaN, 1000), "slowdown");
        assertMessage(() -> new DeviceCapacity(" ", 1, 1000), "non-blank");
        assertMessage(() -> new UnitCost(-1, 0, 0), "forwardBackwardMillis");
        assertMessage(() -> new UnitCost(1, -5, 0), "outputBytes");
        assertMessage(() -> Link.uniform(1000, -1), "latencyMillis");
        List<DeviceCapacity> two = List.of(new DeviceCapacity("a", 1, 1000), new DeviceCapacity("b", 1, 1000));
        assertMessage(() -> Planner.plan(THREE_UNITS, two, Link.uniform(0, 0)), "must be > 0 bytes/ms");
    }

    @Test
    void speedBlindNeedsAUnitPerDevice() {
        List<DeviceCapacity> four = List.of(new DeviceCapacity("a", 1, 1000), new DeviceCapacity("b", 1, 1000),
                new DeviceCapacity("c", 1, 1000), new DeviceCapacity("d", 1, 1000));
        assertMessage(() -> Planner.speedBlind(THREE_UNITS, four, LINK), "need at least 4 units");
    }

    @Test
    void predictRejectsAssignmentsThatAreNotPlacements() {
        List<DeviceCapacity> two = List.of(new DeviceCapacity("a", 1, 1000), new DeviceCapacity("b", 1, 150));
        assertMessage(() -> Planner.predict(THREE_UNITS, two, LINK,
                List.of(new StageAssignment("a", 0, 1), new StageAssignment("b", 2, 3))), "must start at unit 1");
        assertMessage(() -> Planner.predict(THREE_UNITS, two, LINK,
                List.of(new StageAssignment("a", 0, 2))), "cover units [0, 2) but there are 3");
        assertMessage(() -> Planner.predict(THREE_UNITS, two, LINK,
                List.of(new StageAssignment("a", 0, 1), new StageAssignment("a", 1, 3))), "more than one stage");
        assertMessage(() -> Planner.predict(THREE_UNITS, two, LINK,
                List.of(new StageAssignment("a", 0, 1), new StageAssignment("b", 1, 3))), "needs 200 bytes but device b has 150");
        assertMessage(() -> Planner.predict(THREE_UNITS, two, LINK,
                List.of(new StageAssignment("z", 0, 3))), "unknown device z");
    }

    @Test
    void aPlanMustCarryItsOwnBottleneck() {
        List<Stage> stages = List.of(new Stage("a", 0, 1, 5, 7));
        assertMessage(() -> new Plan(stages, 5), "not the bottleneck");
    }

    private static void assertMessage(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
