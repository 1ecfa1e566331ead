package io.ftpipe.zoo.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One array of a .npy file: its numpy dtype (such as {@code <f4}), its shape and its raw
 * row-major bytes. The converters read any numeric dtype the reader accepts.
 */
public record NpyArray(String name, String dtype, long[] shape, ByteBuffer data) {

    public long count() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public float[] floats() {
        int n = Math.toIntExact(count());
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) value(i);
        }
        return out;
    }

    public double[] doubles() {
        int n = Math.toIntExact(count());
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = value(i);
        }
        return out;
    }

    /** Integer elements; floating ones must hold whole numbers. */
    public long[] longs() {
        int n = Math.toIntExact(count());
        long[] out = new long[n];
        boolean integral = !dtype.contains("f");
        for (int i = 0; i < n; i++) {
            out[i] = integral ? integer(i) : (long) value(i);
            if (!integral && out[i] != value(i)) {
                throw new DataException(name + ": element " + i + " is " + value(i)
                        + ", not a whole number; store integers (labels) as an integer dtype");
            }
        }
        return out;
    }

    private ByteBuffer le() {
        return data.duplicate().order(dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private double value(int i) {
        ByteBuffer b = le();
        return switch (dtype.substring(1)) {
            case "f4" -> b.getFloat(4 * i);
            case "f8" -> b.getDouble(8 * i);
            default -> integer(i);
        };
    }

    private long integer(int i) {
        ByteBuffer b = le();
        return switch (dtype.substring(1)) {
            case "i8" -> b.getLong(8 * i);
            case "i4" -> b.getInt(4 * i);
            case "u4" -> Integer.toUnsignedLong(b.getInt(4 * i));
            case "i2" -> b.getShort(2 * i);
            case "u2" -> Short.toUnsignedInt(b.getShort(2 * i));
            case "i1" -> b.get(i);
            case "u1", "b1" -> Byte.toUnsignedInt(b.get(i));
            case "f4", "f8" -> (long) value(i);
            default -> throw new DataException(name + ": dtype " + dtype + " is not supported");
        };
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
