package io.ftpipe.zoo.data;

import java.util.Arrays;

/**
 * Per channel {@code (x - mean) / std}, channel being a sample's first dimension (an image's or a
 * time series' channels; a flat vector has one). Taken from the training set by default, or
 * given, or none; the exported model records it, so whoever runs the model prepares inputs alike.
 */
public record ChannelNormalization(float[] mean, float[] std) {
    /** No change. */
    public static final ChannelNormalization NONE = new ChannelNormalization(new float[]{0}, new float[]{1});

    public ChannelNormalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("a mean and a standard deviation per channel");
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("standard deviations must be positive and finite, got "
                        + Arrays.toString(std));
            }
        }
    }

    /** The same mean and standard deviation for every channel. */
    public static ChannelNormalization of(float mean, float std) {
        return new ChannelNormalization(new float[]{mean}, new float[]{std});
    }

    /** Each channel's mean and standard deviation over the whole set (a constant channel keeps std 1). */
    public static ChannelNormalization fit(float[] features, long[] sampleShape) {
        int channels = (int) sampleShape[0];
        int perChannel = (int) (Arrays.stream(sampleShape).reduce(1, Math::multiplyExact) / channels);
        int samples = features.length / (channels * perChannel);
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        for (int s = 0; s < samples; s++) {
            for (int c = 0; c < channels; c++) {
                int at = (s * channels + c) * perChannel;
                for (int i = 0; i < perChannel; i++) {
                    double v = features[at + i];
                    sum[c] += v;
                    squares[c] += v * v;
                }
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        double n = (double) samples * perChannel;
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / n;
            double variance = Math.max(0, squares[c] / n - m * m);
            mean[c] = (float) m;
            std[c] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new ChannelNormalization(mean, std);
    }

    /** Normalises {@code features} in place. */
    public void apply(float[] features, long[] sampleShape) {
        int channels = (int) sampleShape[0];
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException(mean.length + " normalisation channels for samples of "
                    + channels + " channels");
        }
        int perChannel = (int) (Arrays.stream(sampleShape).reduce(1, Math::multiplyExact) / channels);
        for (int at = 0; at < features.length; at += perChannel) {
            int c = (at / perChannel) % channels;
            float m = mean[mean.length == 1 ? 0 : c];
            float s = std[std.length == 1 ? 0 : c];
            for (int i = at; i < at + perChannel; i++) {
                features[i] = (features[i] - m) / s;
            }
        }
    }

    /** As recorded in an exported model: {@code mean=[..] std=[..]}. */
    public String describe() {
        return "mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std);
    }
}
