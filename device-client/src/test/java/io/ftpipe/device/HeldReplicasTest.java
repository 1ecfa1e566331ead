package io.ftpipe.device;

import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class HeldReplicasTest {
    /** Keeps a replica of {@code units} as a device does, its unit states decoded. */
    private static void keep(HeldReplicas h, long iteration, int... units) {
        List<UnitState> states = Arrays.stream(units)
                .mapToObj(u -> new UnitState(u, Map.of("w" + u, new float[]{iteration}), Map.of())).toList();
        h.keep(new Message.Replica("j", 1, 0, iteration, UnitStatePayloads.encode(states)), states);
    }

    private static List<String> held(HeldReplicas h) {
        return h.all().stream().map(r -> UnitStatePayloads.decode(r.units()).get(0).unit() + "@" + r.iteration())
                .toList();
    }

    @Test
    void eachUnitKeepsItsNewestCopy() {
        HeldReplicas h = new HeldReplicas();
        h.forJob("j");
        keep(h, 100, 0, 1);
        keep(h, 200, 1, 2); // after a re-plan, the stage before holds units 1-2
        assertEquals(List.of("0@100", "1@200", "2@200"), held(h));
        keep(h, 150, 2); // a late, older copy does not win
        assertEquals(List.of("0@100", "1@200", "2@200"), held(h));
    }

    @Test
    void aReplanKeepsThemAnotherJobDoesNot() {
        HeldReplicas h = new HeldReplicas();
        h.forJob("a");
        keep(h, 100, 0);
        h.forJob("a");
        assertEquals(List.of("0@100"), held(h));
        h.forJob("b");
        assertEquals(List.of(), held(h));
    }
}
