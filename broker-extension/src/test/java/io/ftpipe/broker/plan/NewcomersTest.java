package io.ftpipe.broker.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NewcomersTest {
    private static final List<DeviceCapacity> MEASURED = List.of(new DeviceCapacity("a", 1.0, 100),
            new DeviceCapacity("b", 3.0, 100), new DeviceCapacity("c", 2.0, 100));

    @Test
    void newcomersJoinAtTheMedianMeasuredSpeedUpToTheRoomLeft() {
        List<DeviceCapacity> all = Newcomers.withPrior(MEASURED, List.of("x", "y", "z"), 2, d -> 42);
        assertEquals(List.of("a", "b", "c", "x", "y"), all.stream().map(DeviceCapacity::id).toList());
        assertEquals(new DeviceCapacity("x", 2.0, 42), all.get(3));
    }

    @Test
    void aFullJobTakesNobody() {
        assertEquals(MEASURED, Newcomers.withPrior(MEASURED, List.of("x"), 0, d -> 42));
    }

    @Test
    void withNothingMeasuredANewcomerCountsAsReferenceSpeed() {
        assertEquals(List.of(new DeviceCapacity("x", 1.0, 7)), Newcomers.withPrior(List.of(), List.of("x"), 1,
                d -> 7));
        assertEquals(2.5, Newcomers.median(new double[]{4, 1, 2, 3}), 1e-12);
    }

    @Test
    void aNewcomerAtTheMedianSpeedEarnsWorkFromTheDevicesLeft() {
        List<UnitCost> units = java.util.stream.IntStream.range(0, 9)
                .mapToObj(i -> new UnitCost(10, 1000, 1000)).toList();
        Link link = new Link((from, to) -> 1e6, 0);
        List<DeviceCapacity> two = List.of(new DeviceCapacity("a", 1, 1 << 30), new DeviceCapacity("b", 1, 1 << 30));
        Plan current = Planner.plan(units, two, link);
        Plan grown = Planner.plan(units, Newcomers.withPrior(two, List.of("new"), 1, d -> 1 << 30), link);
        assertEquals(3, grown.stages().size(), "the newcomer takes a stage: " + grown.stages());
        assertEquals(true, Replan.worthIt(current, grown, 1000, 1000, 0.25), "45 ms a micro-batch on two, 30 on three");
    }
}
