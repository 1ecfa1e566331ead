package io.ftpipe.zoo.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (the MNIST format), gzip-compressed or plain. The header is a
 * big-endian magic number (0x0000 08 nn: type ubyte, nn dimensions) followed by nn big-endian
 * dimension sizes; the data follows as one byte per element.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private static final String REFETCH = "the file is incomplete or corrupt: download or install it again";
    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int BUFFER_BYTES = 1 << 16;

    /** Images as stored: {@code count * rows * cols} unsigned bytes, row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    private IdxReader() {
    }

    public static Images readImages(Path file) {
        Idx idx = read(file, IMAGES_MAGIC, "image");
        return new Images(idx.dims[0], idx.dims[1], idx.dims[2], idx.data);
    }

    /** Labels as values 0..255. */
    public static int[] readLabels(Path file) {
        byte[] data = read(file, LABELS_MAGIC, "label").data;
        int[] labels = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            labels[i] = data[i] & 0xFF;
        }
        return labels;
    }

    private record Idx(int[] dims, byte[] data) {
    }

    private static Idx read(Path file, int magic, String kind) {
        try (InputStream in = open(file)) {
            int rank = magic & 0xFF;
            int headerBytes = 4 + 4 * rank;
            byte[] header = in.readNBytes(headerBytes);
            if (header.length < 4) {
                throw truncatedHeader(file, headerBytes, header.length);
            }
            ByteBuffer fields = ByteBuffer.wrap(header);
            int found = fields.getInt();
            if (found != magic) {
                throw DataException.at(file, String.format("wrong magic number 0x%08x, expected 0x%08x (IDX %s file)",
                        found, magic, kind), "check that this path points at the " + kind + " file of the dataset");
            }
            if (header.length < headerBytes) {
                throw truncatedHeader(file, headerBytes, header.length);
            }
            int[] dims = new int[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = fields.getInt();
                if (dims[d] < 0) {
                    throw DataException.at(file, "negative dimension " + dims[d] + " in the IDX header", REFETCH);
                }
                elements *= dims[d];
            }
            // A Java array holds at most ~2^31 elements; a larger header can only be corruption.
            if (elements > Integer.MAX_VALUE - 8) {
                throw DataException.at(file, "IDX header declares " + elements + " elements, too many to load", REFETCH);
            }
            byte[] data = in.readNBytes((int) elements);
            if (data.length < elements) {
                throw DataException.at(file, "truncated: expected " + (headerBytes + elements) + " bytes of " + kind
                        + " data, got " + (headerBytes + data.length), REFETCH);
            }
            if (in.read() != -1) {
                throw DataException.at(file, "dimension mismatch: the header declares " + elements + " " + kind
                        + " bytes but the file holds more", REFETCH);
            }
            return new Idx(dims, data);
        } catch (NoSuchFileException e) {
            throw DataException.at(file, "file not found", "check the path (or pass --data-dir)", e);
        } catch (EOFException e) {
            // GZIPInputStream's way of saying the compressed stream stops early.
            throw DataException.at(file, "truncated: gzip stream ends early (" + e.getMessage() + ")", REFETCH, e);
        } catch (ZipException e) {
            throw DataException.at(file, "corrupt gzip data (" + e.getMessage() + ")", REFETCH, e);
        } catch (IOException e) {
            throw DataException.at(file, "cannot read: " + e, "check that the file is readable", e);
        }
    }

    private static DataException truncatedHeader(Path file, int expected, int got) {
        return DataException.at(file, "truncated: expected an IDX header of " + expected + " bytes, got " + got, REFETCH);
    }

    /**
     * Decides compression by content rather than by name, so a decompressed file that kept its
     * ".gz" (or the reverse) still reads; IDX files start with two zero bytes, gzip never does.
     */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        try {
            in.mark(2);
            int signature = (in.read() << 8) | in.read();
            in.reset();
            return signature == GZIP_MAGIC ? new GZIPInputStream(in, BUFFER_BYTES) : in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }
}
