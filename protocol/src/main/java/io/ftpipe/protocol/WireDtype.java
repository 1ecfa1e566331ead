package io.ftpipe.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * How activations and gradients cross a stage boundary: as float32, or halved to float16 or
 * bfloat16 for slow links. Stages compute in float32 either way; weights, optimizer state and
 * replicas always travel as float32. float16 keeps more mantissa (10 bits) in a narrow range
 * (up to 65504, so a large activation becomes infinite and is rejected by its receiver);
 * bfloat16 keeps float32's range with 7 mantissa bits. Both round to nearest, ties to even.
 */
public enum WireDtype {
    FLOAT32("float32", Tensor.FLOAT32, 4),
    FLOAT16("float16", Tensor.FLOAT16, 2),
    BFLOAT16("bfloat16", Tensor.BFLOAT16, 2);

    public static final List<String> NAMES = Arrays.stream(values()).map(WireDtype::label).toList();

    private final String label;
    private final String dtype;
    private final int itemSize;

    WireDtype(String label, String dtype, int itemSize) {
        this.label = label;
        this.dtype = dtype;
        this.itemSize = itemSize;
    }

    /** As a job names it: {@code float32}, {@code float16} or {@code bfloat16}. */
    public String label() {
        return label;
    }

    /** The tensor dtype on the wire. */
    public String dtype() {
        return dtype;
    }

    /** @throws IllegalArgumentException naming the choices */
    public static WireDtype named(String label) {
        for (WireDtype w : values()) {
            if (w.label.equals(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("wire dtype must be one of " + String.join(", ", NAMES) + ", got '"
                + label + "'");
    }

    /** Bytes on the wire of what is {@code float32Bytes} as float32. */
    public long wireBytes(long float32Bytes) {
        return float32Bytes / 4 * itemSize;
    }

    public Tensor encode(long[] shape, FloatBuffer values) {
        FloatBuffer v = values.duplicate();
        if (this == FLOAT32) {
            return Tensor.ofFloats(shape, v);
        }
        ByteBuffer b = ByteBuffer.allocate(v.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
        ShortBuffer s = b.asShortBuffer();
        while (v.hasRemaining()) {
            float f = v.get();
            s.put(this == FLOAT16 ? toHalf(f) : toBfloat16(f));
        }
        return new Tensor(dtype, shape.clone(), b.array());
    }

    /** Puts the values of a float tensor of any of these dtypes into {@code out} as float32. */
    public static void decode(Tensor t, FloatBuffer out) {
        if (Tensor.FLOAT32.equals(t.dtype())) {
            out.put(t.buffer().asFloatBuffer());
            return;
        }
        boolean half = Tensor.FLOAT16.equals(t.dtype());
        ShortBuffer s = t.buffer().asShortBuffer();
        while (s.hasRemaining()) {
            short bits = s.get();
            out.put(half ? fromHalf(bits) : Float.intBitsToFloat((bits & 0xffff) << 16));
        }
    }

    /** Whether a float tensor's element {@code i} is finite, whatever its dtype. */
    static boolean finite(Tensor t, int i) {
        return switch (t.dtype()) {
            case Tensor.FLOAT16 -> (t.buffer().getShort(2 * i) & 0x7c00) != 0x7c00;
            case Tensor.BFLOAT16 -> (t.buffer().getShort(2 * i) & 0x7f80) != 0x7f80;
            default -> Float.isFinite(t.buffer().getFloat(4 * i));
        };
    }

    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // Subnormal: the implicit leading one joins the mantissa, shifted into place.
            int m = mantissa | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    static float fromHalf(short h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
