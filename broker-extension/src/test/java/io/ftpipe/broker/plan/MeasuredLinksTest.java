package io.ftpipe.broker.plan;

import io.ftpipe.broker.plan.MeasuredLinks.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MeasuredLinksTest {
    private static final double UNKNOWN = 1_000;

    @Test
    void withNothingMeasuredEveryPairHasTheDefaultRate() {
        var links = new MeasuredLinks(List.of(), UNKNOWN);
        assertEquals(UNKNOWN, links.bytesPerMilli("a", "b"), 1e-9);
    }

    @Test
    void aPairMeasuredIsTakenAsMeasuredInEitherDirection() {
        var links = new MeasuredLinks(List.of(new Sample("a", "b", 40, 1)), UNKNOWN);
        assertEquals(40, links.bytesPerMilli("a", "b"), 1e-9);
        assertEquals(40, links.bytesPerMilli("b", "a"), 1e-9);
    }

    /**
     * The testbed's h10 chain: d2 fed the CPU-starved d3, and that pair was slow. d1 -> d2 was fast,
     * so d2 is cleared and d3 carries the slow pair: a plan without d3 must see d2 as fast.
     */
    @Test
    void aSlowReceiverIsBlamedNotTheFastDeviceThatFedIt() {
        var links = new MeasuredLinks(List.of(new Sample("d0", "d1", 40_000, 1), new Sample("d1", "d2", 20_000, 1),
                new Sample("d2", "d3", 900, 1)), UNKNOWN);
        assertEquals(900, links.bytesPerMilli("d2", "d3"), 1e-9);
        assertTrue(links.bytesPerMilli("d0", "d2") > 15_000, "d0 -> d2: " + links.bytesPerMilli("d0", "d2"));
        assertTrue(links.bytesPerMilli("d0", "d3") < 1_000, "d0 -> d3: " + links.bytesPerMilli("d0", "d3"));
    }

    @Test
    void everyPairIsPricedAtLeastAsSlowAsMeasuredFromShares() {
        List<Sample> samples = List.of(new Sample("a", "b", 300, 1), new Sample("b", "c", 50, 1),
                new Sample("c", "d", 80, 1), new Sample("d", "a", 500, 1));
        var links = new MeasuredLinks(samples, UNKNOWN);
        for (Sample s : samples) {
            double fromShares = 1 / (links.share(s.from()) + links.share(s.to()));
            assertTrue(fromShares <= s.bytesPerMilli() + 1e-9, s + " priced at " + fromShares);
        }
    }

    /** After a link degrades, the device's older, faster pairs must not clear it and blame its neighbours. */
    @Test
    void aDevicesEvidenceIsItsNewestTerm() {
        var links = new MeasuredLinks(List.of(new Sample("a", "b", 10_000, 1), new Sample("b", "c", 10_000, 1),
                new Sample("x", "b", 1_000, 2), new Sample("b", "y", 1_000, 2)), 100_000);
        // Cleared by its term-1 pairs, b would reach a new device z at over 18,000 bytes/ms.
        assertTrue(links.bytesPerMilli("b", "z") < 2_100, "b -> z: " + links.bytesPerMilli("b", "z"));
    }

    @Test
    void aPairOfAMeasuredAndAnUnknownDeviceAddsTheirShares() {
        var links = new MeasuredLinks(List.of(new Sample("a", "b", 500, 1)), UNKNOWN);
        // a's share is 1 / 1000 ms per byte (half of the pair), the unknown's 1 / 2000.
        assertEquals(1 / (1 / 1000.0 + 1 / 2000.0), links.bytesPerMilli("a", "x"), 1e-9);
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Sample("a", "b", 0, 1));
    }
}
