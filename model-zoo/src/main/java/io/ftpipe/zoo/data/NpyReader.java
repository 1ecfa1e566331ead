package io.ftpipe.zoo.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numpy's .npy format (versions 1 to 3): the magic "\x93NUMPY", a version, a little-endian
 * header length, a Python dict literal with 'descr', 'fortran_order' and 'shape', then the data.
 * Numeric dtypes only, in C (row-major) order.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final List<String> DTYPES = List.of("f4", "f8", "i8", "i4", "u4", "i2", "u2", "i1", "u1", "b1");
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    public static NpyArray read(Path file) {
        try {
            return read(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** @param name what the error messages call the array (a file, or a file and an entry) */
    public static NpyArray read(String name, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw new DataException(name + ": not a .npy array (no \\x93NUMPY magic); save it with numpy.save");
            }
        }
        if (bytes.length < 10) {
            throw new DataException(name + ": the .npy header is cut short");
        }
        int major = bytes[6];
        int headerLength;
        int start;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(b.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLength = b.getInt(8);
            start = 12;
        } else {
            throw new DataException(name + ": .npy version " + major + " is not supported (1 to 3 are)");
        }
        if (start + headerLength > bytes.length) {
            throw new DataException(name + ": the .npy header is cut short");
        }
        String header = new String(bytes, start, headerLength, major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        String dtype = group(DESCR, header, name, "descr");
        if (dtype.length() < 3 || "<>|=".indexOf(dtype.charAt(0)) < 0 || !DTYPES.contains(dtype.substring(1))) {
            throw new DataException(name + ": dtype '" + dtype + "' is not supported; store numbers as one of "
                    + String.join(", ", DTYPES));
        }
        if (dtype.charAt(0) == '=') {
            dtype = "<" + dtype.substring(1);
        }
        if (group(FORTRAN, header, name, "fortran_order").equals("True")) {
            throw new DataException(name + ": the array is in Fortran order; save numpy.ascontiguousarray(a)");
        }
        long[] shape = shape(group(SHAPE, header, name, "shape"), name);
        NpyArray array = new NpyArray(name, dtype, shape, ByteBuffer.wrap(bytes, start + headerLength,
                bytes.length - start - headerLength).slice());
        long needed = array.count() * Integer.parseInt(dtype.substring(2));
        if (bytes.length - start - headerLength < needed) {
            throw new DataException(name + ": holds " + (bytes.length - start - headerLength) + " bytes of data, "
                    + "its shape needs " + needed + "; the file is incomplete");
        }
        return array;
    }

    private static String group(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new DataException(name + ": the .npy header has no '" + key + "'");
        }
        return m.group(1);
    }

    private static long[] shape(String text, String name) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim().replace("L", "");
            if (!t.isEmpty()) {
                try {
                    dims.add(Long.parseLong(t));
                } catch (NumberFormatException e) {
                    throw new DataException(name + ": shape (" + text + ") is not a tuple of sizes");
                }
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
