package io.ftpipe.zoo.data;

import java.util.SplittableRandom;

/**
 * Small, learnable stand-in for Fashion-MNIST, so tests need neither the real files nor minutes of
 * training. Each class is a fixed sinusoidal grating with its own orientation; samples add pixel
 * noise. Orientation differs in both the pixels at each position and the local texture, so flat
 * (linear, MLP) and convolutional models with global pooling can all learn it.
 *
 * <p>The class patterns do not depend on the seed: generating a training and a test set with
 * different seeds gives two samples of the same task.
 */
public final class SyntheticDataset {

    public static final int SIZE = 28;

    // Raw pixel units. The troughs clip to black, like Fashion-MNIST's background, and the values
    // are tuned so that after Normalization the pixels have mean about 0.07 and deviation about 1.
    private static final double BASE_PIXEL = 40;
    private static final double AMPLITUDE = 180;
    private static final double NOISE = 40;
    private static final double CYCLES_PER_IMAGE = 3;

    private static final double[][] PROTOTYPES = prototypes();

    private SyntheticDataset() {
    }

    /** {@code n} samples with classes as balanced as {@code n} allows, deterministic in {@code seed}. */
    public static Dataset generate(int n, long seed) {
        // Shuffling 0..n-1 and taking each value mod 10 keeps the classes balanced but not in a cycle.
        int[] order = BatchOrder.permutation(n, seed, 0);
        SplittableRandom noise = new SplittableRandom(seed);
        int pixels = SIZE * SIZE;
        float[] images = new float[n * pixels];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = order[i] % Dataset.CLASSES;
            double[] prototype = PROTOTYPES[labels[i]];
            for (int p = 0; p < pixels; p++) {
                long value = Math.round(prototype[p] + NOISE * noise.nextGaussian());
                images[i * pixels + p] = Normalization.normalize((int) Math.max(0, Math.min(255, value)));
            }
        }
        return Dataset.images(images, labels, SIZE, SIZE);
    }

    private static double[][] prototypes() {
        double[][] prototypes = new double[Dataset.CLASSES][SIZE * SIZE];
        double centre = (SIZE - 1) / 2.0;
        for (int c = 0; c < Dataset.CLASSES; c++) {
            // Orientations spread over half a turn: a grating rotated by pi is the same grating.
            double angle = Math.PI * c / Dataset.CLASSES;
            double kx = 2 * Math.PI * CYCLES_PER_IMAGE / SIZE * Math.cos(angle);
            double ky = 2 * Math.PI * CYCLES_PER_IMAGE / SIZE * Math.sin(angle);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double wave = Math.sin(kx * (x - centre) + ky * (y - centre));
                    prototypes[c][y * SIZE + x] = BASE_PIXEL + AMPLITUDE * wave;
                }
            }
        }
        return prototypes;
    }
}
