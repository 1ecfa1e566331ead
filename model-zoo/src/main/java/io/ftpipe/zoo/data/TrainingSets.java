package io.ftpipe.zoo.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a job or a local run trains and tests on: generated samples ({@code synthetic > 0}), the
 * user's data files ({@link DataFiles}), or by default Fashion-MNIST where Debian installs it;
 * the first {@code limit} training samples of it (0 = all), fitted to the model.
 */
public final class TrainingSets {
    private TrainingSets() {
    }

    /**
     * @param data     the user's data set, or null for Fashion-MNIST in {@code fashionMnist}
     * @param input    the model's input shape per sample
     * @param classes  the model's classes
     */
    public static DataFiles.Loaded load(String data, int synthetic, int limit, NormalizationChoice norm,
                                        long[] input, int classes, long seed, Path fashionMnist) {
        DataFiles.Loaded loaded;
        if (synthetic > 0) {
            Dataset train = SyntheticDataset.generate(synthetic, seed);
            if (!Arrays.equals(train.sampleShape(), input) || classes != train.classes()) {
                throw new DataException("generated samples are " + Arrays.toString(train.sampleShape()) + " in "
                        + train.classes() + " classes, the model takes " + Arrays.toString(input) + " in " + classes
                        + "; train it on its own data (--data)");
            }
            loaded = new DataFiles.Loaded(train, SyntheticDataset.generate(Math.max(100, synthetic / 5), seed + 1),
                    FashionMnist.NORMALIZATION, "synthetic");
        } else if (data == null || data.isBlank()) {
            // Said with how to install it, when Debian's package is missing.
            FashionMnist.requirePresent(fashionMnist);
            loaded = DataFiles.load(fashionMnist, input, classes, norm, seed);
        } else {
            loaded = DataFiles.load(Path.of(data), input, classes, norm, seed);
        }
        return new DataFiles.Loaded(loaded.train().limit(limit), loaded.test(), loaded.normalization(),
                loaded.source());
    }
}
