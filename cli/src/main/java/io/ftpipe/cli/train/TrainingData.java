package io.ftpipe.cli.train;

import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.data.SyntheticDataset;

import java.nio.file.Path;

/**
 * The training and test sets of a run and where they came from (for the report).
 *
 * @param source "fashion-mnist" or "synthetic"
 * @param dir    the Fashion-MNIST directory, null for synthetic data
 */
public record TrainingData(String source, Path dir, Dataset train, Dataset test) {

    /** Fashion-MNIST from {@code dir}; the first {@code limit} training samples (0 = all), the whole test set. */
    public static TrainingData fashionMnist(Path dir, int limit) {
        return new TrainingData("fashion-mnist", dir, FashionMnist.train(dir).limit(limit), FashionMnist.test(dir));
    }

    /**
     * {@code n} generated training samples and a fifth as many test samples, drawn with the next
     * seed so the test set is new samples of the same task.
     */
    public static TrainingData synthetic(int n, long seed, int limit) {
        return new TrainingData("synthetic", null, SyntheticDataset.generate(n, seed).limit(limit),
                SyntheticDataset.generate(Math.max(1, n / 5), seed + 1));
    }
}
