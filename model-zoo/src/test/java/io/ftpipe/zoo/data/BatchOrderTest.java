package io.ftpipe.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchOrderTest {

    @Test
    void permutationContainsEveryIndexOnce() {
        int[] order = BatchOrder.permutation(1000, 42, 3);

        assertArrayEquals(IntStream.range(0, 1000).toArray(), Arrays.stream(order).sorted().toArray());
        assertFalse(Arrays.equals(IntStream.range(0, 1000).toArray(), order), "not shuffled");
    }

    @Test
    void permutationIsDeterministicPerSeedAndEpoch() {
        assertArrayEquals(BatchOrder.permutation(500, 7, 2), BatchOrder.permutation(500, 7, 2));
        assertFalse(Arrays.equals(BatchOrder.permutation(500, 7, 2), BatchOrder.permutation(500, 7, 3)));
        assertFalse(Arrays.equals(BatchOrder.permutation(500, 7, 2), BatchOrder.permutation(500, 8, 2)));
    }

    @Test
    void neighbouringEpochsAreUnrelatedShuffles() {
        int[] a = BatchOrder.permutation(1000, 1, 0);
        int[] b = BatchOrder.permutation(1000, 1, 1);
        int samePlace = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                samePlace++;
            }
        }
        // Independent shuffles agree in about one place; a shifted random stream would agree in many.
        assertEquals(1, samePlace, 10);
    }

    @Test
    void degenerateSizes() {
        assertArrayEquals(new int[0], BatchOrder.permutation(0, 1, 0));
        assertArrayEquals(new int[]{0}, BatchOrder.permutation(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> BatchOrder.permutation(-1, 1, 0));
    }

    @Test
    void batchesRoundsUp() {
        assertEquals(0, BatchOrder.batches(0, 32));
        assertEquals(1, BatchOrder.batches(1, 32));
        assertEquals(1, BatchOrder.batches(32, 32));
        assertEquals(2, BatchOrder.batches(33, 32));
        assertEquals(469, BatchOrder.batches(60000, 128));
        assertEquals(Integer.MAX_VALUE, BatchOrder.batches(Integer.MAX_VALUE, 1));
        assertThrows(IllegalArgumentException.class, () -> BatchOrder.batches(10, 0));
    }
}
