package io.ftpipe.cli.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TimingsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Timings.of(new long[]{3_000_000, 1_000_000, 2_000_000}).medianMs(), 1e-12);
        assertEquals(2.5, Timings.of(new long[]{4_000_000, 1_000_000, 2_000_000, 3_000_000}).medianMs(), 1e-12);
    }

    @Test
    void p90IsTheNearestRank() {
        long[] tenToHundred = new long[10];
        for (int i = 0; i < 10; i++) {
            tenToHundred[i] = (i + 1) * 10_000_000L;
        }
        assertEquals(90.0, Timings.of(tenToHundred).p90Ms(), 1e-12);
        assertEquals(5.0, Timings.of(new long[]{5_000_000}).p90Ms(), 1e-12);
    }

    @Test
    void doesNotReorderTheCallersArray() {
        long[] nanos = {3, 1, 2};
        Timings.of(nanos);
        assertArrayEquals(new long[]{3, 1, 2}, nanos);
    }
}
