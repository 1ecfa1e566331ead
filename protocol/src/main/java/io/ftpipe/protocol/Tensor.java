package io.ftpipe.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A tensor on the wire: numpy dtype string, shape and raw little-endian bytes, written in
 * msgpack-numpy's layout by {@link TensorCodec}.
 */
public record Tensor(String dtype, long[] shape, byte[] data) {
    public static final String FLOAT32 = "<f4";
    /** numpy's float16. */
    public static final String FLOAT16 = "<f2";
    /** No numpy dtype of its own: a peer reads it with the ml_dtypes package (docs/protocol.md). */
    public static final String BFLOAT16 = "bfloat16";
    public static final String INT64 = "<i8";
    /** The dtypes a stage takes: activations and gradients ({@link WireDtype}), and labels. */
    public static final java.util.List<String> DTYPES = java.util.List.of(FLOAT32, FLOAT16, BFLOAT16, INT64);

    /** Bytes per element of a supported dtype. */
    public static int itemSize(String dtype) {
        return switch (dtype) {
            case FLOAT32 -> 4;
            case FLOAT16, BFLOAT16 -> 2;
            default -> 8;
        };
    }

    public static Tensor ofFloats(long[] shape, FloatBuffer values) {
        FloatBuffer v = values.duplicate();
        ByteBuffer b = ByteBuffer.allocate(v.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return new Tensor(FLOAT32, shape.clone(), b.array());
    }

    public static Tensor ofLongs(long[] shape, long[] values, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values, 0, count);
        return new Tensor(INT64, shape.clone(), b.array());
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The data as a little-endian buffer (no copy). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Checks that the tensor is what the receiver expects: dtype, per-sample shape (the first
     * dimension is the batch, at most {@code maxBatch}), data length, and finite values.
     */
    public void check(String expectedDtype, long[] sampleShape, int maxBatch) {
        if (!expectedDtype.equals(dtype)) {
            throw new ProtocolException(RejectReason.BAD_DTYPE, "dtype " + dtype + ", expected " + expectedDtype);
        }
        if (shape.length != sampleShape.length + 1 || shape[0] < 1 || shape[0] > maxBatch
                || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), sampleShape)) {
            throw new ProtocolException(RejectReason.BAD_SHAPE, "shape " + Arrays.toString(shape) + ", expected [1.."
                    + maxBatch + "] + " + Arrays.toString(sampleShape));
        }
        if (data.length != elements() * itemSize(dtype)) {
            throw new ProtocolException(RejectReason.BAD_SHAPE, data.length + " data bytes for shape "
                    + Arrays.toString(shape));
        }
        if (!INT64.equals(dtype)) {
            for (int i = 0; i < elements(); i++) {
                if (!WireDtype.finite(this, i)) {
                    throw new ProtocolException(RejectReason.NON_FINITE, "element " + i + " is not finite");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + ", " + data.length + " bytes]";
    }
}
