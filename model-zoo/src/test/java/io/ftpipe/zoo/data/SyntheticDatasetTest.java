package io.ftpipe.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    @Test
    void deterministicBySeed() {
        Dataset a = SyntheticDataset.generate(50, 9);
        Dataset b = SyntheticDataset.generate(50, 9);
        Dataset c = SyntheticDataset.generate(50, 10);

        assertArrayEquals(a.features(), b.features());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.features(), c.features()));
    }

    @Test
    void balancedOverAllTenClasses() {
        Dataset data = SyntheticDataset.generate(103, 1);
        int[] perClass = new int[Dataset.CLASSES];
        for (int label : data.labels()) {
            perClass[label]++;
        }

        assertArrayEquals(new long[]{1, 28, 28}, data.sampleShape());
        assertEquals(103, data.size());
        assertArrayEquals(new int[]{11, 11, 11, 10, 10, 10, 10, 10, 10, 10}, perClass);
    }

    @Test
    void normalisedLikeTheRealData() {
        float[] pixels = SyntheticDataset.generate(200, 3).features();
        double sum = 0;
        double squares = 0;
        for (float v : pixels) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / pixels.length;
        double std = Math.sqrt(squares / pixels.length - mean * mean);

        assertEquals(0, mean, 0.15);
        assertEquals(1, std, 0.15);
    }

    @Test
    void learnableAcrossSeeds() {
        // Nearest class mean: if this simple a classifier generalises from one seed to another,
        // any model under test should too.
        Dataset train = SyntheticDataset.generate(300, 1);
        Dataset test = SyntheticDataset.generate(200, 2);
        int pixels = train.sampleSize();
        double[][] means = new double[Dataset.CLASSES][pixels];
        int[] counts = new int[Dataset.CLASSES];
        for (int i = 0; i < train.size(); i++) {
            counts[train.labels()[i]]++;
            for (int p = 0; p < pixels; p++) {
                means[train.labels()[i]][p] += train.features()[i * pixels + p];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < Dataset.CLASSES; c++) {
                double distance = 0;
                for (int p = 0; p < pixels; p++) {
                    double d = test.features()[i * pixels + p] - means[c][p] / counts[c];
                    distance += d * d;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = c;
                }
            }
            if (best == test.labels()[i]) {
                correct++;
            }
        }

        assertTrue(correct >= 190, correct + " of 200 correct");
    }
}
