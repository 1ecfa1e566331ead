package io.ftpipe.zoo.data;

import java.util.Arrays;

/**
 * Labelled samples held in memory: images (channels, height, width), time series (channels,
 * steps) or plain feature vectors, already normalised, each with one class index.
 *
 * <p>Immutable by convention, like any record with array components: the arrays are shared, not
 * copied, because a training set can be hundreds of megabytes of floats. Nobody may modify them
 * after construction; {@link #copyBatch} is the way to get samples out for a model.
 *
 * @param features    {@code size * sampleSize()} floats, sample-major, each sample in row-major order
 * @param labels      one class index in {@code [0, classes)} per sample
 * @param sampleShape one sample's shape, e.g. {@code [1, 28, 28]}
 * @param classes     how many classes the labels index
 */
public record Dataset(float[] features, int[] labels, long[] sampleShape, int classes) {

    /** Fashion-MNIST's, and the zoo models'. */
    public static final int CLASSES = 10;

    public Dataset {
        sampleShape = sampleShape.clone();
        if (sampleShape.length == 0 || Arrays.stream(sampleShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("a sample's shape must have positive dimensions, got "
                    + Arrays.toString(sampleShape));
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classification task has at least 2 classes, got " + classes);
        }
        long size = Arrays.stream(sampleShape).reduce(1, Math::multiplyExact);
        if (features.length != (long) labels.length * size) {
            throw new IllegalArgumentException(features.length + " values do not make " + labels.length
                    + " samples of " + Arrays.toString(sampleShape));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
    }

    /** Single-channel images of {@code rows x cols} pixels in {@link #CLASSES} classes (Fashion-MNIST's kind). */
    public static Dataset images(float[] pixels, int[] labels, int rows, int cols) {
        return new Dataset(pixels, labels, new long[]{1, rows, cols}, CLASSES);
    }

    public int size() {
        return labels.length;
    }

    /** Values per sample. */
    public int sampleSize() {
        return Math.toIntExact(Arrays.stream(sampleShape).reduce(1, Math::multiplyExact));
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    /** The first {@code n} samples; this dataset itself when {@code n} does not shrink it. */
    public Dataset limit(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        return new Dataset(Arrays.copyOf(features, n * sampleSize()), Arrays.copyOf(labels, n), sampleShape, classes);
    }

    /**
     * Gathers samples {@code order[from .. from+count)} into the first {@code count * sampleSize()}
     * floats of {@code featuresOut} and the first {@code count} longs of {@code labelsOut} (longs
     * because ONNX class-index tensors are int64). The outputs may be larger, so one pair of buffers
     * serves every batch including a shorter last one.
     */
    public void copyBatch(int[] order, int from, int count, float[] featuresOut, long[] labelsOut) {
        int size = sampleSize();
        if (from < 0 || count < 0 || from > order.length - count) {
            throw new IndexOutOfBoundsException("batch [" + from + ", " + from + "+" + count
                    + ") is outside an order of " + order.length);
        }
        if (featuresOut.length < (long) count * size || labelsOut.length < count) {
            throw new IllegalArgumentException("output buffers hold " + labelsOut.length + " labels and "
                    + featuresOut.length + " values, need " + count + " and " + (long) count * size);
        }
        for (int b = 0; b < count; b++) {
            int sample = order[from + b];
            System.arraycopy(features, sample * size, featuresOut, b * size, size);
            labelsOut[b] = labels[sample];
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " samples of " + Arrays.toString(sampleShape) + ", " + classes + " classes]";
    }
}
