package io.ftpipe.zoo.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** .npy and .npz as numpy writes them (files numpy itself wrote are read by the importer's PyTorch tests). */
class NpyReaderTest {

    /** A version 1.0 .npy file as numpy.save lays it out: header padded so the data starts 64-aligned. */
    static byte[] npy(String descr, String shape, boolean fortran, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    private static byte[] bytes(ByteOrder order, int size, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        fill.accept(b);
        return b.array();
    }

    @Test
    void readsNumericDtypesAndShapes() {
        NpyArray f = NpyReader.read("f", npy("<f4", "2, 3", false, bytes(ByteOrder.LITTLE_ENDIAN, 24,
                b -> b.putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5).putFloat(-6.5f))));
        assertArrayEquals(new long[]{2, 3}, f.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, -6.5f}, f.floats());
        NpyArray labels = NpyReader.read("l", npy("<i8", "3,", false, bytes(ByteOrder.LITTLE_ENDIAN, 24,
                b -> b.putLong(7).putLong(0).putLong(9))));
        assertArrayEquals(new long[]{7, 0, 9}, labels.longs());
        NpyArray pixels = NpyReader.read("p", npy("|u1", "4,", false, new byte[]{0, 127, (byte) 200, (byte) 255}));
        assertArrayEquals(new float[]{0, 127, 200, 255}, pixels.floats());
        NpyArray big = NpyReader.read("b", npy(">f8", "", false, bytes(ByteOrder.BIG_ENDIAN, 8, b -> b.putDouble(2.5))));
        assertEquals(0, big.shape().length);
        assertArrayEquals(new double[]{2.5}, big.doubles());
    }

    @Test
    void refusesWhatItCannotReadWithTheReason() {
        assertEquals("x: not a .npy array (no \\x93NUMPY magic); save it with numpy.save",
                assertThrows(DataException.class, () -> NpyReader.read("x", "text".getBytes())).getMessage());
        assertEquals("x: the array is in Fortran order; save numpy.ascontiguousarray(a)", assertThrows(
                DataException.class, () -> NpyReader.read("x", npy("<f4", "1,", true, new byte[4]))).getMessage());
        assertEquals("x: dtype '<U3' is not supported; store numbers as one of f4, f8, i8, i4, u4, i2, u2, i1, u1, b1",
                assertThrows(DataException.class, () -> NpyReader.read("x", npy("<U3", "1,", false, new byte[12])))
                        .getMessage());
        assertEquals("x: holds 4 bytes of data, its shape needs 8; the file is incomplete", assertThrows(
                DataException.class, () -> NpyReader.read("x", npy("<f4", "2,", false, new byte[4]))).getMessage());
        assertEquals("x: element 0 is 0.5, not a whole number; store integers (labels) as an integer dtype",
                assertThrows(DataException.class, () -> NpyReader.read("x", npy("<f4", "1,", false,
                        bytes(ByteOrder.LITTLE_ENDIAN, 4, b -> b.putFloat(0.5f)))).longs()).getMessage());
    }

    @Test
    void npzIsAZipOfNpyFilesByKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.npz");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(npy("<f4", "1,", false, bytes(ByteOrder.LITTLE_ENDIAN, 4, b -> b.putFloat(3))));
            zip.putNextEntry(new ZipEntry("grad/conv.weight.npy"));
            zip.write(npy("<i4", "2,", false, bytes(ByteOrder.LITTLE_ENDIAN, 8, b -> b.putInt(1).putInt(-2))));
        }
        Files.write(file, out.toByteArray());
        Map<String, NpyArray> arrays = NpzReader.read(file);
        assertEquals(java.util.List.of("x", "grad/conv.weight"), java.util.List.copyOf(arrays.keySet()));
        assertArrayEquals(new long[]{1, -2}, arrays.get("grad/conv.weight").longs());

        Path notZip = dir.resolve("plain.npz");
        Files.writeString(notZip, "not a zip");
        assertEquals(notZip + ": holds no arrays; is it a .npz archive saved with numpy.savez?",
                assertThrows(DataException.class, () -> NpzReader.read(notZip)).getMessage());
        assertEquals(dir.resolve("missing.npz") + ": no such file",
                assertThrows(DataException.class, () -> NpzReader.read(dir.resolve("missing.npz"))).getMessage());
    }
}
