package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RestoreTest {
    private static UnitState unit(int u, float v) {
        return new UnitState(u, Map.of("u" + u + ".w", new float[]{v}), Map.of());
    }

    private static Message.Weights weights(int stage, long iteration, List<UnitState> units, Message.Replica... held) {
        return new Message.Weights("j", 3, 1, stage, iteration, UnitStatePayloads.encode(units), List.of(held));
    }

    private static Message.Replica replica(int stage, long iteration, UnitState... units) {
        return new Message.Replica("j", 3, stage, iteration, UnitStatePayloads.encode(List.of(units)));
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
        var next = weights(2, 118, List.of(unit(4, 4)), replica(1, 100, unit(2, 2), unit(3, 3)));
        var chosen = Restore.choose(5, Map.of("d0", weights(0, 120, List.of(unit(0, 0), unit(1, 1))), "d2", next),
                central(80, 0, 1, 2, 3, 4));
        assertEquals(Restore.LIVE, chosen.get(0).kind());
        assertEquals(Restore.CHAIN, chosen.get(2).kind());
        assertEquals("d2", chosen.get(2).device());
        assertEquals(100, chosen.get(3).iteration());
        assertArrayEquals(new float[]{3}, chosen.get(3).state().values().get("u3.w"));
        assertEquals(Restore.LIVE, chosen.get(4).kind());
        assertEquals(20, Restore.iterationsLost(chosen, 120));
    }

    @Test
    void perUnitVersionsDecideOverTheStagesIteration() {
        // A stage whose unit 1 began its term ahead (it already held updates the term replays):
        // unit 1 is newer than the stage's iteration, unit 0 is not.
        var live = new Message.Weights("j", 3, 1, 0, 50, UnitStatePayloads.encode(List.of(unit(0, 0), unit(1, 1))),
                List.of(), List.of(50L, 70L));
        var held = new Message.Replica("j", 3, 0, 40, UnitStatePayloads.encode(List.of(unit(0, 5), unit(1, 6))),
                List.of(40L, 65L));
        var chosen = Restore.choose(2, Map.of("d0", live, "d1", weights(1, 60, List.of(), held)), central(0, 0, 1));
        assertEquals(50, chosen.get(0).iteration());
        assertEquals(70, chosen.get(1).iteration());
        assertEquals(Map.of(0, 50L, 1, 70L), Restore.versions(chosen));
    }

    @Test
    void versionsThatDoNotMatchTheUnitsAreRefused() {
        var live = new Message.Weights("j", 3, 1, 0, 50, UnitStatePayloads.encode(List.of(unit(0, 0))),
                List.of(), List.of(50L, 70L));
        var e = assertThrows(IllegalArgumentException.class, () -> Restore.choose(1, Map.of("d0", live), Map.of()));
        assertEquals("the weights of d0 has 2 versions for 1 units", e.getMessage());
    }

    @Test
    void whenTheChainIsGoneTooTheCentralReplicaServes() {
        var chosen = Restore.choose(3, Map.of("d0", weights(0, 50, List.of(unit(0, 0)))), central(40, 0, 1, 2));
        assertEquals(Restore.LIVE, chosen.get(0).kind());
        assertEquals(Restore.CENTRAL, chosen.get(1).kind());
        assertEquals(Restore.CENTRAL, chosen.get(2).kind());
        assertNull(chosen.get(2).device());
        assertEquals(10, Restore.iterationsLost(chosen, 50));
    }

    @Test
    void anEquallyNewCopyOnADeviceIsPreferredToTheCentralOne() {
        var chosen = Restore.choose(1, Map.of("d1", weights(1, 60, List.of(), replica(0, 60, unit(0, 7)))), central(60, 0));
        assertEquals(Restore.CHAIN, chosen.get(0).kind());
    }

    @Test
    void aUnitStaysWhereItsLiveCopyIsAndOnlyMovingCopiesAreFetched() {
        // d0 keeps units 0-1 and takes unit 2 from d2's chain replica; d2 keeps unit 3 and gives unit
        // 4 (live) to d3, which is new; unit 5 comes from the central node.
        var sources = Restore.choose(6, Map.of(
                "d0", weights(0, 90, List.of(unit(0, 0), unit(1, 1))),
                "d2", weights(2, 88, List.of(unit(3, 3), unit(4, 4)),
                        replica(1, 80, unit(2, 2)))), central(70, 5));
        var kept = Restore.keptInPlace(sources, Map.of(0, "d0", 1, "d0", 2, "d0", 3, "d2", 4, "d3", 5, "d3"));
        assertEquals(java.util.Set.of(0, 1, 3), kept);
        assertEquals(java.util.Set.of("d2"), Restore.toFetch(sources, kept));
        assertEquals(java.util.Set.of(), Restore.toFetch(sources, java.util.Set.of(0, 1, 2, 3, 4)),
                "the central replica is at hand");
    }

    @Test
    void aUnitWithNoCopyLeftIsAClearError() {
        var e = assertThrows(IllegalStateException.class, () -> Restore.choose(2, Map.of(), central(0, 0)));
        assertTrue(e.getMessage().contains("unit 1"), e.getMessage());
    }

    private static Map<Integer, java.util.NavigableMap<Long, ReplicaStore.Replica>> rounds(long... iterations) {
        Map<Integer, java.util.NavigableMap<Long, ReplicaStore.Replica>> out = new java.util.TreeMap<>();
        for (int u = 0; u < 3; u++) {
            for (long i : iterations) {
                out.computeIfAbsent(u, x -> new java.util.TreeMap<>()).put(i,
                        new ReplicaStore.Replica(u, i, 2, unit(u, -i)));
            }
        }
        return out;
    }

    @Test
    void aRollBackTakesEveryUnitFromTheNewestStepAllOfThemHave() {
        // Stage 0 (units 0-1) is live at 48 and holds no replica; stage 1 (unit 2) failed. Its chain
        // replica at 40 died with it, the central rounds are at 16 and 32, the last stage's chain
        // replica reached the central node at 40 too.
        var store = rounds(16, 32);
        store.get(2).put(40L, new ReplicaStore.Replica(2, 40, 2, unit(2, -40)));
        var chosen = Restore.atOneStep(3, Map.of("d0", weights(0, 48, List.of(unit(0, 0), unit(1, 1)))), store,
                java.util.Set.of());
        assertEquals(Map.of(0, 32L, 1, 32L, 2, 32L), Restore.versions(chosen));
        assertTrue(chosen.values().stream().allMatch(s -> s.kind().equals(Restore.CENTRAL)));
        assertArrayEquals(new float[]{-32}, chosen.get(2).state().values().get("u2.w"));
    }

    @Test
    void aLiveCopyServesARollBackWhenItIsAtTheStepUnlessItHasBuffers() {
        // The failure hit step 32..48 before any stage stepped: live copies are at 32, as the round is.
        var live = Map.of("d0", weights(0, 32, List.of(unit(0, 0), unit(1, 1))));
        var chosen = Restore.atOneStep(3, live, rounds(16, 32), java.util.Set.of());
        assertEquals(Restore.LIVE, chosen.get(0).kind());
        assertEquals(Restore.CENTRAL, chosen.get(2).kind());
        // Unit 1's running statistics already took the broken step's forwards.
        chosen = Restore.atOneStep(3, live, rounds(16, 32), java.util.Set.of(1));
        assertEquals(Restore.LIVE, chosen.get(0).kind());
        assertEquals(Restore.CENTRAL, chosen.get(1).kind());
        assertEquals(32, chosen.get(1).iteration());
    }

    @Test
    void withoutAStepEveryUnitHasTheRollBackSaysWhatThereIs() {
        var store = rounds(16);
        store.remove(1);
        var e = assertThrows(IllegalStateException.class, () -> Restore.atOneStep(3, Map.of(), store,
                java.util.Set.of()));
        assertEquals("no step of which every unit has a copy: [unit 0 at [16], unit 2 at [16]]", e.getMessage());
    }

    @Test
    void unitsWithRunningStatisticsHaveBuffers() {
        var model = io.ftpipe.zoo.model.ModelZoo.mobileNetV2();
        var buffered = Restore.buffered(model);
        assertFalse(buffered.isEmpty(), "mobilenetv2's BatchNorms");
        assertEquals(java.util.Set.of(), Restore.buffered(io.ftpipe.zoo.model.ModelZoo.cnn()));
    }
}
