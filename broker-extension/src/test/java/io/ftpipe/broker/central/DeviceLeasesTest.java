package io.ftpipe.broker.central;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceLeasesTest {
    private static final List<String> FLEET = List.of("d0", "d1", "d2", "d3");
    private final DeviceLeases leases = new DeviceLeases();

    @Test
    void aClaimTakesTheFirstFreeDevicesAndNoOtherJobGetsThem() {
        leases.enqueue("a", 2);
        leases.enqueue("b", 2);
        assertEquals(List.of("d0", "d1"), leases.claim("a", FLEET).devices());
        assertEquals(List.of("d2", "d3"), leases.claim("b", FLEET).devices());
        assertEquals(List.of("d0", "d1"), leases.usable("a", FLEET));
        assertEquals(List.of("d2", "d3"), leases.usable("b", FLEET));
        assertEquals(Optional.of("b"), leases.holder("d3"));
    }

    @Test
    void theQueueMovesInOrderOnly() {
        leases.enqueue("big", 3);
        leases.enqueue("small", 1);
        List<String> two = List.of("d0", "d1");
        DeviceLeases.Claim refused = leases.claim("big", two);
        assertEquals(List.of(), refused.devices(), "too few free");
        assertEquals(1, refused.position());
        assertEquals(2, refused.free());
        DeviceLeases.Claim behind = leases.claim("small", two);
        assertEquals(List.of(), behind.devices(), "a later small job does not overtake");
        assertEquals(2, behind.position());
        assertEquals(1, leases.position("big"));
        assertEquals(2, leases.position("small"));
        assertEquals(List.of("big", "small"), leases.waiting());

        assertEquals(List.of("d0", "d1", "d2"), leases.claim("big", FLEET).devices());
        assertEquals(0, leases.position("big"));
        assertEquals(1, leases.position("small"));
        assertEquals(List.of("d3"), leases.claim("small", FLEET).devices());
        assertEquals(List.of(), leases.waiting());
    }

    @Test
    void devicesHeldByAJobThatEndsAreFreeForTheNext() {
        leases.enqueue("a", 3);
        leases.claim("a", FLEET);
        leases.enqueue("b", 2);
        assertEquals(List.of(), leases.claim("b", FLEET).devices(), "one device free, two wanted");
        leases.release("a");
        assertEquals(List.of("d0", "d1"), leases.claim("b", FLEET).devices());
    }

    @Test
    void aStoppedJobLeavesTheQueue() {
        leases.enqueue("a", 9);
        leases.enqueue("b", 1);
        leases.release("a");
        assertEquals(1, leases.position("b"));
        assertEquals(List.of("d0"), leases.claim("b", FLEET).devices());
    }

    @Test
    void aNewTermHoldsExactlyItsDevicesAndFreesTheRest() {
        leases.enqueue("a", 3);
        leases.claim("a", FLEET);
        assertEquals(Map.of(), leases.hold("a", List.of("d0", "d3")), "d3 was free");
        assertEquals(List.of("d0", "d3"), leases.heldBy("a"));
        assertEquals(List.of("d0", "d3", "d1", "d2"), leases.usable("a", FLEET), "its own first, then the free");
    }

    @Test
    void aDeviceAnotherJobTookIsAConflictAndChangesNothing() {
        leases.enqueue("a", 2);
        leases.claim("a", FLEET);
        leases.enqueue("b", 1);
        leases.claim("b", FLEET);
        // a saw d2 free before b claimed it.
        assertEquals(Map.of("d2", "b"), leases.hold("a", List.of("d0", "d2")));
        assertEquals(List.of("d0", "d1"), leases.heldBy("a"), "a keeps what it had");
        assertEquals(List.of("d2"), leases.heldBy("b"));
        assertEquals(List.of("d0", "d1", "d3"), leases.usable("a", FLEET), "b's device is never offered to a");
    }

    @Test
    void aResumedJobHoldsItsLastLayoutBeforeAnyClaim() {
        assertEquals(Map.of(), leases.hold("resumed", List.of("d1", "d2")));
        leases.enqueue("new", 3);
        assertEquals(List.of(), leases.claim("new", FLEET).devices());
        assertEquals(List.of("d0", "d3"), leases.usable("new", FLEET));
    }

    @Test
    void badRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> leases.enqueue("none", 0));
        leases.hold("running", List.of("d0"));
        assertTrue(assertThrows(IllegalStateException.class, () -> leases.enqueue("running", 1)).getMessage()
                .contains("running"));
    }
}
