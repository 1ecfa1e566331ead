package io.ftpipe.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** Sample i has every pixel equal to i and label i % 10, so a gathered batch shows its sources. */
    private static Dataset numbered(int n) {
        float[] images = new float[n * 2 * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(images, i * 6, (i + 1) * 6, i);
            labels[i] = i % 10;
        }
        return Dataset.images(images, labels, 2, 3);
    }

    @Test
    void copyBatchGathersTheOrderedSamples() {
        Dataset data = numbered(12);
        int[] order = {11, 4, 7, 0, 2};
        float[] images = new float[3 * 6];
        long[] labels = new long[3];

        data.copyBatch(order, 1, 3, images, labels);

        assertArrayEquals(new long[]{4, 7, 0}, labels);
        assertArrayEquals(new float[]{4, 4, 4, 4, 4, 4, 7, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0}, images);
    }

    @Test
    void copyBatchFillsThePrefixOfLargerBuffers() {
        Dataset data = numbered(12);
        float[] images = new float[4 * 6];
        long[] labels = {-1, -1, -1, -1};

        data.copyBatch(new int[]{11, 3}, 0, 2, images, labels);

        assertArrayEquals(new long[]{1, 3, -1, -1}, labels);
        assertEquals(11, images[5]);
        assertEquals(3, images[6]);
        assertEquals(0, images[12]);
    }

    @Test
    void copyBatchRejectsRangesAndBuffersThatDoNotFit() {
        Dataset data = numbered(5);
        int[] order = {0, 1, 2};

        assertThrows(IndexOutOfBoundsException.class, () -> data.copyBatch(order, 2, 2, new float[12], new long[2]));
        assertThrows(IllegalArgumentException.class, () -> data.copyBatch(order, 0, 2, new float[11], new long[2]));
        assertThrows(IllegalArgumentException.class, () -> data.copyBatch(order, 0, 2, new float[12], new long[1]));
    }

    @Test
    void limitKeepsTheFirstSamples() {
        Dataset data = numbered(12);

        Dataset first = data.limit(3);

        assertEquals(3, first.size());
        assertArrayEquals(new int[]{0, 1, 2}, first.labels());
        assertEquals(2, first.features()[first.features().length - 1]);
        assertSame(data, data.limit(0));
        assertSame(data, data.limit(12));
        assertSame(data, data.limit(100));
    }

    @Test
    void describesItsShape() {
        Dataset data = numbered(4);

        assertEquals(4, data.size());
        assertArrayEquals(new long[]{1, 2, 3}, data.sampleShape());
        assertEquals(10, data.classes());
    }

    @Test
    void rejectsInconsistentArrays() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.images(new float[5], new int[1], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Dataset.images(new float[6], new int[]{10}, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Dataset.images(new float[0], new int[0], 0, 3));
    }
}
