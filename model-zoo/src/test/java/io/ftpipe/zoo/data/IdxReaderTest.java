package io.ftpipe.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"images-idx3-ubyte", "images-idx3-ubyte.gz"})
    void imagesRoundTrip(String name) throws IOException {
        byte[] pixels = IdxFiles.ramp(3 * 4 * 5);
        Path file = IdxFiles.write(dir.resolve(name), IdxFiles.images(3, 4, 5, pixels));

        IdxReader.Images images = IdxReader.readImages(file);

        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        assertArrayEquals(pixels, images.pixels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels-idx1-ubyte", "labels-idx1-ubyte.gz"})
    void labelsRoundTripAsUnsigned(String name) throws IOException {
        Path file = IdxFiles.write(dir.resolve(name), IdxFiles.labels(new byte[]{0, 9, 3, (byte) 200}));

        assertArrayEquals(new int[]{0, 9, 3, 200}, IdxReader.readLabels(file));
    }

    @Test
    void compressionIsDetectedByContentNotName() throws IOException {
        byte[] content = IdxFiles.labels(new byte[]{1, 2});
        Path plainNamedGz = Files.write(dir.resolve("labels.gz"), content);
        Path gzNamedPlain = Files.move(IdxFiles.write(dir.resolve("other.gz"), content), dir.resolve("other"));

        assertArrayEquals(new int[]{1, 2}, IdxReader.readLabels(plainNamedGz));
        assertArrayEquals(new int[]{1, 2}, IdxReader.readLabels(gzNamedPlain));
    }

    @Test
    void wrongMagicNamesThePath() throws IOException {
        Path file = IdxFiles.write(dir.resolve("labels-as-images.gz"), IdxFiles.labels(new byte[]{1, 2, 3}));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"images-idx3-ubyte", "images-idx3-ubyte.gz"})
    void shortDataIsTruncated(String name) throws IOException {
        byte[] full = IdxFiles.images(10, 28, 28, IdxFiles.ramp(10 * 28 * 28));
        Path file = IdxFiles.write(dir.resolve(name), Arrays.copyOf(full, 16 + 1000));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated: expected 7856 bytes of image data, got 1016"), e.getMessage());
    }

    @Test
    void cutGzipStreamIsTruncated() throws IOException {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), IdxFiles.images(10, 28, 28, IdxFiles.ramp(10 * 28 * 28)));
        byte[] compressed = Files.readAllBytes(whole);
        Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length / 2));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shortHeaderIsTruncated() throws IOException {
        Path file = Files.write(dir.resolve("header"), new byte[]{0, 0, 8, 3, 0, 0});

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void moreDataThanTheHeaderSaysIsADimensionMismatch() throws IOException {
        Path file = IdxFiles.write(dir.resolve("long"), IdxFiles.idx(IdxReader.LABELS_MAGIC, new byte[]{1, 2, 3}, 2));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("dimension mismatch"), e.getMessage());
    }

    @Test
    void missingFileNamesThePath() {
        Path file = dir.resolve("absent-idx1-ubyte.gz");

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
