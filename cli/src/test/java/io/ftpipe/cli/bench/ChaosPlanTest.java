package io.ftpipe.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class ChaosPlanTest {
    @Test
    void theSameSeedGivesTheSameFaults() {
        assertEquals(ChaosPlan.draw(3, 20, 600, 15, 35), ChaosPlan.draw(3, 20, 600, 15, 35));
        assertNotEquals(ChaosPlan.draw(3, 20, 600, 15, 35), ChaosPlan.draw(4, 20, 600, 15, 35));
    }

    @Test
    void faultsAreSpacedWithinTheGapsAndTheRun() {
        List<ChaosPlan.Fault> faults = ChaosPlan.draw(1, 20, 1800, 15, 35);
        assertEquals(20, faults.get(0).atSeconds());
        for (int i = 1; i < faults.size(); i++) {
            double gap = faults.get(i).atSeconds() - faults.get(i - 1).atSeconds();
            assertTrue(gap >= 15 && gap <= 35, "gap " + gap);
        }
        assertTrue(faults.get(faults.size() - 1).atSeconds() < 1800);
        assertTrue(faults.size() >= 60, "half an hour at one fault every 25 s on average: " + faults.size());
    }

    @Test
    void everyRoundHasOneFaultOfEachKind() {
        List<ChaosPlan.Fault> faults = ChaosPlan.draw(7, 0, 10_000, 10, 10);
        int kinds = ChaosPlan.Kind.values().length;
        for (int r = 0; r + kinds <= faults.size(); r += kinds) {
            Map<ChaosPlan.Kind, Long> count = faults.subList(r, r + kinds).stream()
                    .collect(Collectors.groupingBy(ChaosPlan.Fault::kind, Collectors.counting()));
            assertEquals(Arrays.stream(ChaosPlan.Kind.values()).collect(Collectors.toMap(Function.identity(),
                    k -> 1L)), count);
        }
    }

    @Test
    void victimsAreDistinctDevicesOfTheJob() {
        ChaosPlan.Fault f = new ChaosPlan.Fault(0, ChaosPlan.Kind.DURING_RECOVERY, 5);
        List<String> devices = List.of("a", "b", "c");
        assertEquals("c", f.victim(devices, 0));
        assertEquals("a", f.victim(devices, 1));
    }

    @Test
    void badGapsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChaosPlan.draw(1, 0, 100, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> ChaosPlan.draw(1, 0, 100, 20, 10));
    }
}
