package io.ftpipe.zoo.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A user's data set, read from standard files and fitted to a model: NumPy {@code .npz}
 * ({@code x_train}, {@code y_train}, {@code x_test}, {@code y_test}; any numeric dtype), CSV (a
 * {@code label} column, the rest features: a folder with {@code train.csv} and {@code test.csv},
 * or one file whose seeded fifth is held out for testing), or a folder of IDX files as
 * Fashion-MNIST ships them. Samples are reshaped to the model's input when the value counts agree,
 * and normalised per channel. Every problem is one {@link DataException} naming the file.
 */
public final class DataFiles {
    /** Of a single CSV file, the share held out as the test set. */
    static final int HELD_OUT_EVERY = 5;

    private DataFiles() {
    }

    /** What a job trains and tests on, the normalisation it applied, and where the data came from. */
    public record Loaded(Dataset train, Dataset test, ChannelNormalization normalization, String source) {
    }

    /**
     * @param input   the model's input shape per sample
     * @param classes the model's classes: every label must be below
     * @param norm    how to normalise
     */
    public static Loaded load(Path path, long[] input, int classes, NormalizationChoice norm, long seed) {
        if (Files.isDirectory(path) && FashionMnist.looksLike(path)) {
            return fashionMnist(path, input, classes);
        }
        Split raw;
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (Files.isDirectory(path)) {
            raw = csvPair(path);
        } else if (name.endsWith(".npz")) {
            raw = npz(path);
        } else if (name.endsWith(".csv")) {
            raw = heldOut(CsvTable.read(path), seed);
        } else if (!Files.exists(path)) {
            throw new DataException(path + ": no such file or folder");
        } else {
            throw new DataException(path + ": not a data set this reads: a .npz, a .csv, or a folder with "
                    + "train.csv and test.csv or Fashion-MNIST's IDX files");
        }
        fits(path, raw.trainSampleSize(), input);
        fits(path, raw.testSampleSize(), input);
        ChannelNormalization n = norm.resolve(raw.trainFeatures(), input);
        n.apply(raw.trainFeatures(), input);
        n.apply(raw.testFeatures(), input);
        return new Loaded(dataset(path, "train", raw.trainFeatures(), raw.trainLabels(), input, classes),
                dataset(path, "test", raw.testFeatures(), raw.testLabels(), input, classes), n, path.toString());
    }

    /** Features and labels as read, before they are fitted to a model. */
    private record Split(float[] trainFeatures, int[] trainLabels, long trainSampleSize, float[] testFeatures,
                         int[] testLabels, long testSampleSize) {
    }

    private static Loaded fashionMnist(Path dir, long[] input, int classes) {
        Dataset train = FashionMnist.train(dir);
        if (!Arrays.equals(train.sampleShape(), input) || classes != Dataset.CLASSES) {
            throw new DataException(dir + ": Fashion-MNIST's samples are " + Arrays.toString(train.sampleShape())
                    + " in 10 classes, the model takes " + Arrays.toString(input) + " in " + classes);
        }
        return new Loaded(train, FashionMnist.test(dir), FashionMnist.NORMALIZATION, dir.toString());
    }

    private static Split npz(Path file) {
        Map<String, NpyArray> arrays = NpzReader.read(file);
        for (String key : new String[]{"x_train", "y_train", "x_test", "y_test"}) {
            if (!arrays.containsKey(key)) {
                throw new DataException(file + ": no array '" + key + "' (it holds " + arrays.keySet()
                        + "); save it with numpy.savez(file, x_train=..., y_train=..., x_test=..., y_test=...)");
            }
        }
        NpyArray xTrain = arrays.get("x_train");
        NpyArray xTest = arrays.get("x_test");
        int[] yTrain = labels(file, arrays.get("y_train"), xTrain);
        int[] yTest = labels(file, arrays.get("y_test"), xTest);
        return new Split(finite(file, "x_train", xTrain.floats()), yTrain, perSample(file, xTrain),
                finite(file, "x_test", xTest.floats()), yTest, perSample(file, xTest));
    }

    private static Split csvPair(Path dir) {
        Path trainFile = dir.resolve("train.csv");
        Path testFile = dir.resolve("test.csv");
        if (!Files.exists(trainFile) || !Files.exists(testFile)) {
            throw new DataException(dir + ": a data folder holds train.csv and test.csv (or Fashion-MNIST's "
                    + "IDX files)");
        }
        CsvTable train = CsvTable.read(trainFile);
        CsvTable test = CsvTable.read(testFile);
        return new Split(train.features(), train.labels(), train.columns(), test.features(), test.labels(),
                test.columns());
    }

    /** A single CSV file: one sample in {@link #HELD_OUT_EVERY}, in a seeded order, is for testing. */
    private static Split heldOut(CsvTable t, long seed) {
        int n = t.labels().length;
        if (n < HELD_OUT_EVERY) {
            throw new DataException(t.file() + ": " + n + " samples are too few to hold out a test set");
        }
        int[] order = BatchOrder.permutation(n, seed, 0);
        int tests = n / HELD_OUT_EVERY;
        float[][] x = {new float[(n - tests) * t.columns()], new float[tests * t.columns()]};
        int[][] y = {new int[n - tests], new int[tests]};
        for (int i = 0; i < n; i++) {
            int part = i < tests ? 1 : 0;
            int at = part == 1 ? i : i - tests;
            System.arraycopy(t.features(), order[i] * t.columns(), x[part], at * t.columns(), t.columns());
            y[part][at] = t.labels()[order[i]];
        }
        return new Split(x[0], y[0], t.columns(), x[1], y[1], t.columns());
    }

    private static int[] labels(Path file, NpyArray y, NpyArray x) {
        if (x.shape().length == 0 || y.count() != x.shape()[0]) {
            throw new DataException(file + ": " + y.name() + " has " + y.count() + " labels for " + x.name() + "'s "
                    + (x.shape().length == 0 ? 0 : x.shape()[0]) + " samples");
        }
        return Arrays.stream(y.longs()).mapToInt(v -> {
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new DataException(file + ": " + y.name() + " holds label " + v + ", not a class index");
            }
            return (int) v;
        }).toArray();
    }

    private static long perSample(Path file, NpyArray x) {
        if (x.shape().length < 2 || x.shape()[0] == 0) {
            throw new DataException(file + ": " + x.name() + " has shape " + Arrays.toString(x.shape())
                    + "; it must be [samples, ...]");
        }
        return x.count() / x.shape()[0];
    }

    private static float[] finite(Path file, String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new DataException(file + ": " + name + " holds " + values[i] + " at flat index " + i
                        + "; training needs finite values");
            }
        }
        return values;
    }

    private static void fits(Path path, long sampleSize, long[] input) {
        long wanted = Arrays.stream(input).reduce(1, Math::multiplyExact);
        if (sampleSize != wanted) {
            throw new DataException(path + ": samples of " + sampleSize + " values do not fit the model's input "
                    + Arrays.toString(input) + " (" + wanted + " values)");
        }
    }

    private static Dataset dataset(Path path, String split, float[] features, int[] labels, long[] input,
                                   int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new DataException(path + ": " + split + " label " + labels[i] + " (sample " + i
                        + ") is outside the model's " + classes + " classes 0.." + (classes - 1));
            }
        }
        return new Dataset(features, labels, input, classes);
    }
}
