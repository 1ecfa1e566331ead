package io.ftpipe.zoo.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads numpy's .npz format (numpy.savez and savez_compressed): a zip of .npy files, one per
 * array, named by the key with ".npy" appended.
 */
public final class NpzReader {
    private NpzReader() {
    }

    /** Arrays by key (the entry name without ".npy"), in the archive's order. */
    public static Map<String, NpyArray> read(Path file) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.isDirectory()) {
                    continue;
                }
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                out.put(key, NpyReader.read(file + "[" + key + "]", readAll(zip)));
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (ZipException e) {
            throw new DataException(file + ": not a .npz archive (" + e.getMessage() + "); save it with numpy.savez", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new DataException(file + ": holds no arrays; is it a .npz archive saved with numpy.savez?");
        }
        return out;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
