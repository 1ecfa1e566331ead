package io.ftpipe.zoo.data;

import java.util.Arrays;

/**
 * Normalised single-channel images with class labels, held in memory.
 *
 * <p>Immutable by convention, like any record with array components: the arrays are shared, not
 * copied, because a training set is about 190 MB of floats. Nobody may modify them after
 * construction; {@link #copyBatch} is the way to get samples out for a model.
 *
 * @param images {@code size * rows * cols} floats, sample-major then row-major, already normalised
 *               with {@link Normalization}
 * @param labels one class index in {@code [0, classes())} per sample
 */
public record Dataset(float[] images, int[] labels, int rows, int cols) {

    public static final int CLASSES = 10;

    public Dataset {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + rows + "x" + cols);
        }
        if (images.length != (long) labels.length * rows * cols) {
            throw new IllegalArgumentException(images.length + " pixels do not make " + labels.length
                    + " images of " + rows + "x" + cols);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (CLASSES - 1));
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int classes() {
        return CLASSES;
    }

    /** The first {@code n} samples; this dataset itself when {@code n} does not shrink it. */
    public Dataset limit(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        return new Dataset(Arrays.copyOf(images, n * rows * cols), Arrays.copyOf(labels, n), rows, cols);
    }

    /**
     * Gathers samples {@code order[from .. from+count)} into the first {@code count * rows * cols}
     * floats of {@code imagesOut} and the first {@code count} longs of {@code labelsOut} (longs
     * because ONNX class-index tensors are int64). The outputs may be larger, so one pair of buffers
     * serves every batch including a shorter last one.
     */
    public void copyBatch(int[] order, int from, int count, float[] imagesOut, long[] labelsOut) {
        int pixels = rows * cols;
        if (from < 0 || count < 0 || from > order.length - count) {
            throw new IndexOutOfBoundsException("batch [" + from + ", " + from + "+" + count
                    + ") is outside an order of " + order.length);
        }
        if (imagesOut.length < (long) count * pixels || labelsOut.length < count) {
            throw new IllegalArgumentException("output buffers hold " + labelsOut.length + " labels and "
                    + imagesOut.length + " pixels, need " + count + " and " + (long) count * pixels);
        }
        for (int b = 0; b < count; b++) {
            int sample = order[from + b];
            System.arraycopy(images, sample * pixels, imagesOut, b * pixels, pixels);
            labelsOut[b] = labels[sample];
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " images of " + rows + "x" + cols + "]";
    }
}
