package io.ftpipe.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static final String APT_FIX = "apt-get install dataset-fashion-mnist";

    @TempDir
    Path dir;

    @Test
    void loadsAndNormalisesBothSplits() throws IOException {
        writeSplit("train", 3, new byte[]{0, 9, 4});
        writeSplit("t10k", 2, new byte[]{7, 1});

        Dataset train = FashionMnist.train(dir);
        Dataset test = FashionMnist.test(dir);

        assertEquals(3, train.size());
        assertEquals(2, test.size());
        assertArrayEquals(new long[]{1, 2, 3}, train.sampleShape());
        assertArrayEquals(new int[]{0, 9, 4}, train.labels());
        assertArrayEquals(new int[]{7, 1}, test.labels());
        // The ramp starts at pixel value 0, so the first normalised pixel is -mean/std.
        assertEquals(-Normalization.MEAN / Normalization.STD, train.features()[0], 1e-6);
        assertEquals((5 / 255f - Normalization.MEAN) / Normalization.STD, train.features()[5], 1e-6);
    }

    @Test
    void acceptsDecompressedFiles() throws IOException {
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(1, 2, 3, IdxFiles.ramp(6)));
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(new byte[]{5}));

        assertArrayEquals(new int[]{5}, FashionMnist.test(dir).labels());
    }

    @Test
    void missingDirectoryNamesItAndTheFix() {
        Path absent = dir.resolve("nowhere");

        DataException e = assertThrows(DataException.class, () -> FashionMnist.train(absent));

        assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(APT_FIX), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
    }

    @Test
    void missingFileNamesItAndTheFix() throws IOException {
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.images(1, 2, 3, IdxFiles.ramp(6)));

        DataException e = assertThrows(DataException.class, () -> FashionMnist.test(dir));

        assertTrue(e.getMessage().contains(dir.resolve("t10k-labels-idx1-ubyte.gz").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(APT_FIX), e.getMessage());
    }

    @Test
    void requirePresentNamesTheFirstMissingFileAndAcceptsAFullSet() throws IOException {
        writeSplit("train", 1, new byte[]{0});
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(1, 2, 3, IdxFiles.ramp(6)));

        DataException e = assertThrows(DataException.class, () -> FashionMnist.requirePresent(dir));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains(APT_FIX), e.getMessage());

        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(new byte[]{4}));
        FashionMnist.requirePresent(dir);
        assertThrows(DataException.class, () -> FashionMnist.requirePresent(dir.resolve("nowhere")));
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFiles.images(3, 2, 3, IdxFiles.ramp(18)));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFiles.labels(new byte[]{1, 2}));

        DataException e = assertThrows(DataException.class, () -> FashionMnist.train(dir));

        assertTrue(e.getMessage().contains("3 images"), e.getMessage());
        assertTrue(e.getMessage().contains("2 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz"), e.getMessage());
    }

    @Test
    void labelsBeyondTheTenClassesAreRejected() throws IOException {
        writeSplit("train", 2, new byte[]{3, 10});

        DataException e = assertThrows(DataException.class, () -> FashionMnist.train(dir));

        assertTrue(e.getMessage().contains("label 10 at index 1"), e.getMessage());
    }

    @Test
    void realTestSet() {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");

        Dataset test = FashionMnist.test(FashionMnist.DEFAULT_DIR);

        assertEquals(10000, test.size());
        assertArrayEquals(new long[]{1, 28, 28}, test.sampleShape());
        int[] perClass = new int[Dataset.CLASSES];
        for (int label : test.labels()) {
            perClass[label]++;
        }
        // The published test set is balanced: 1000 images of each class.
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        double sum = 0;
        for (float v : test.features()) {
            sum += v;
        }
        assertEquals(0, sum / test.features().length, 0.05);
    }

    private void writeSplit(String split, int count, byte[] labels) throws IOException {
        IdxFiles.write(dir.resolve(split + "-images-idx3-ubyte.gz"), IdxFiles.images(count, 2, 3, IdxFiles.ramp(count * 6)));
        IdxFiles.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), IdxFiles.labels(labels));
    }
}
