package io.ftpipe.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heterogeneous clusters where a speed-aware, order-choosing plan must beat the speed-blind one. */
class PlannerScenarioTest {

    /** Communication this cheap never sets the pace, so the scenarios measure compute balance only. */
    private static final Link FREE_LINK = Link.uniform(1e12, 0);
    private static final long PLENTY = 1L << 40;

    @Test
    void h10OneDeviceTenTimesSlower() {
        // 124 equal units: speed-blind gives 31 to each, so the 10x device paces at 310 ms; the best
        // plan gives 40 to each fast device and 4 to the slow one (40 ms): 310 / 40 = 7.75.
        List<UnitCost> units = equalUnits(124);
        List<DeviceCapacity> devices = devices(1, 1, 1, 10);
        double speedup = speedup("h10", units, devices);
        assertEquals(310.0 / 40.0, speedup, 1e-9);
        assertTrue(speedup >= 6.8);
    }

    @Test
    void h10LeavesOutTheSlowDeviceWhenItCannotHelp() {
        // With 12 units even one unit on the slow device (10 ms) is worse than 4 per fast device.
        Plan plan = Planner.plan(equalUnits(12), devices(1, 1, 1, 10), FREE_LINK);
        assertEquals(3, plan.stages().size());
        assertFalse(plan.stages().stream().anyMatch(s -> s.device().equals("d3")), plan.toString());
        assertEquals(4.0, plan.predictedMillisPerMicroBatch(), 1e-9);
    }

    @Test
    void spreadOfSpeeds() {
        // Ideal (infinitely divisible) is 124 / (1 + 1/2 + 1/5 + 1/10) = 68.9 ms against 310 ms speed-blind.
        double speedup = speedup("spread", equalUnits(124), devices(1, 2, 5, 10));
        assertTrue(speedup >= 4.4, "speedup " + speedup);
    }

    @Test
    void theFirstStageGoesWhereItsDataArrivesFast() {
        // Equal devices; a's link brings the 1000 bytes fed per micro-batch in at 10 bytes/ms (100 ms).
        Bandwidth bandwidth = (from, to) -> to.equals("a") && from.equals(Link.FEEDER) ? 10 : 1e6;
        List<UnitCost> units = List.of(new UnitCost(10, 1, 1), new UnitCost(10, 1, 1));
        List<DeviceCapacity> devices = List.of(new DeviceCapacity("a", 1, PLENTY), new DeviceCapacity("b", 1, PLENTY));
        Plan plan = Planner.plan(units, devices, new Link(bandwidth, 0, 1000));
        assertEquals("b", plan.stages().get(0).device(), plan.toString());
        assertEquals(10.0, plan.predictedMillisPerMicroBatch(), 1e-6);
        // Fed through a alone, the pipeline could go no faster than a's link.
        Plan throughA = Planner.predict(units, devices, new Link(bandwidth, 0, 1000),
                List.of(new StageAssignment("a", 0, 2)));
        assertEquals(100.0, throughA.predictedMillisPerMicroBatch(), 1e-6);
    }

    @Test
    void choosesTheDeviceOrderAroundASlowLink() {
        // a <-> b is nearly cut; the given order a, b, c would pay 2000 ms on that boundary.
        Bandwidth bandwidth = (from, to) -> from.equals("a") && to.equals("b") || from.equals("b") && to.equals("a")
                ? 1 : 1e6;
        Link link = new Link(bandwidth, 0);
        List<UnitCost> units = List.of(new UnitCost(10, 1000, 1), new UnitCost(10, 1000, 1), new UnitCost(10, 1000, 1));
        List<DeviceCapacity> devices = List.of(new DeviceCapacity("a", 1, PLENTY), new DeviceCapacity("b", 1, PLENTY),
                new DeviceCapacity("c", 1, PLENTY));
        Plan plan = Planner.plan(units, devices, link);
        assertEquals(3, plan.stages().size());
        assertEquals("c", plan.stages().get(1).device(), plan.toString());
        assertEquals(10.0, plan.predictedMillisPerMicroBatch(), 1e-9);
    }

    @Test
    void aFastDeviceWithLittleMemoryGetsOnlyWhatFits() {
        // d0 would take everything on speed alone, but it holds only 2 of the 10 units.
        List<UnitCost> units = new ArrayList<>(Collections.nCopies(10, new UnitCost(1, 1, 100)));
        List<DeviceCapacity> devices = List.of(new DeviceCapacity("d0", 0.1, 200), new DeviceCapacity("d1", 4, PLENTY),
                new DeviceCapacity("d2", 4, PLENTY));
        Plan plan = Planner.plan(units, devices, FREE_LINK);
        Stage onFast = plan.stages().stream().filter(s -> s.device().equals("d0")).findFirst().orElseThrow();
        assertEquals(2, onFast.to() - onFast.from(), plan.toString());
        // The other 8 units split 4 / 4 over the two slow devices: 16 ms (one fewer on d0 would be 20).
        assertEquals(16.0, plan.predictedMillisPerMicroBatch(), 1e-9);
    }

    @Test
    void predictChargesBothDirectionsAndLatencyOnEachBoundary() {
        List<UnitCost> units = List.of(new UnitCost(2, 500, 1), new UnitCost(3, 700, 1));
        List<DeviceCapacity> devices = List.of(new DeviceCapacity("x", 2, PLENTY), new DeviceCapacity("y", 1, PLENTY));
        Plan plan = Planner.predict(units, devices, Link.uniform(100, 1.5),
                List.of(new StageAssignment("x", 0, 1), new StageAssignment("y", 1, 2)));
        // x: compute 2 * 2 = 4, send 2 * 500 / 100 + 2 * 1.5 = 13; y: compute 3, nothing to send.
        assertEquals(List.of(new Stage("x", 0, 1, 4, 13), new Stage("y", 1, 2, 3, 0)), plan.stages());
        assertEquals(13, plan.predictedMillisPerMicroBatch());
    }

    private static double speedup(String name, List<UnitCost> units, List<DeviceCapacity> devices) {
        Plan blind = Planner.speedBlind(units, devices, FREE_LINK);
        Plan aware = Planner.plan(units, devices, FREE_LINK);
        double speedup = blind.predictedMillisPerMicroBatch() / aware.predictedMillisPerMicroBatch();
        System.out.printf("%s: speed-blind %.3f ms, planned %.3f ms, speedup %.3f%n  blind   %s%n  planned %s%n",
                name, blind.predictedMillisPerMicroBatch(), aware.predictedMillisPerMicroBatch(), speedup,
                layout(blind), layout(aware));
        return speedup;
    }

    private static String layout(Plan plan) {
        StringBuilder out = new StringBuilder();
        for (Stage stage : plan.stages()) {
            out.append(stage.device()).append("[").append(stage.from()).append(",").append(stage.to()).append(") ");
        }
        return out.toString().trim();
    }

    private static List<UnitCost> equalUnits(int count) {
        return Collections.nCopies(count, new UnitCost(1, 1, 1));
    }

    private static List<DeviceCapacity> devices(double... slowdowns) {
        List<DeviceCapacity> devices = new ArrayList<>();
        for (int d = 0; d < slowdowns.length; d++) {
            devices.add(new DeviceCapacity("d" + d, slowdowns[d], PLENTY));
        }
        return devices;
    }
}
