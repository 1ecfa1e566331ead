package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.state.UnitState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RestoreTest {
    private static UnitState unit(int u, float v) {
        return new UnitState(u, Map.of("u" + u + ".w", new float[]{v}), Map.of());
    }

    private static Message.Weights weights(int stage, long iteration, List<UnitState> units, Message.Replica... held) {
        return new Message.Weights("j", 3, 1, stage, iteration, units, List.of(held));
    }

    private static Map<Integer, ReplicaStore.Replica> central(long iteration, int... units) {
        Map<Integer, ReplicaStore.Replica> out = new java.util.TreeMap<>();
        for (int u : units) {
            out.put(u, new ReplicaStore.Replica(u, iteration, 2, unit(u, -1)));
        }
        return out;
    }

    @Test
    void eachUnitComesFromItsNewestSurvivingCopy() {
        // Units 0-1 on a survivor (live at 120); units 2-3 were on the failed device: the survivor
        // after it holds their chain replica from 100, the central node a global one from 80.
        var next = weights(2, 118, List.of(unit(4, 4)), new Message.Replica("j", 3, 1, 100, List.of(unit(2, 2), unit(3, 3))));
        var chosen = Restore.choose(5, List.of(weights(0, 120, List.of(unit(0, 0), unit(1, 1))), next),
                central(80, 0, 1, 2, 3, 4));
        assertEquals(Restore.LIVE, chosen.get(0).kind());
        assertEquals(Restore.CHAIN, chosen.get(2).kind());
        assertEquals(100, chosen.get(3).iteration());
        assertArrayEquals(new float[]{3}, chosen.get(3).state().values().get("u3.w"));
        assertEquals(Restore.LIVE, chosen.get(4).kind());
        assertEquals(20, Restore.iterationsLost(chosen, 120));
    }

    @Test
    void whenTheChainIsGoneTooTheCentralReplicaServes() {
        var chosen = Restore.choose(3, List.of(weights(0, 50, List.of(unit(0, 0)))), central(40, 0, 1, 2));
        assertEquals(Restore.LIVE, chosen.get(0).kind());
        assertEquals(Restore.CENTRAL, chosen.get(1).kind());
        assertEquals(Restore.CENTRAL, chosen.get(2).kind());
        assertEquals(10, Restore.iterationsLost(chosen, 50));
    }

    @Test
    void anEquallyNewCopyOnADeviceIsPreferredToTheCentralOne() {
        var chosen = Restore.choose(1, List.of(weights(1, 60, List.of(), new Message.Replica("j", 3, 0, 60,
                List.of(unit(0, 7))))), central(60, 0));
        assertEquals(Restore.CHAIN, chosen.get(0).kind());
    }

    @Test
    void aUnitWithNoCopyLeftIsAClearError() {
        var e = assertThrows(IllegalStateException.class, () -> Restore.choose(2, List.of(), central(0, 0)));
        assertTrue(e.getMessage().contains("unit 1"), e.getMessage());
    }
}
