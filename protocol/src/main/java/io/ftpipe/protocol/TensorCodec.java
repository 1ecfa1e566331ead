package io.ftpipe.protocol;

import org.msgpack.core.MessagePacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A tensor as msgpack-numpy writes and reads it, so Python peers use
 * {@code msgpack.unpackb(raw, object_hook=msgpack_numpy.decode)} and get an array: a map with the
 * <em>binary</em> keys {@code nd} (true), {@code type} (the dtype string, e.g. {@code <f4}),
 * {@code kind} (empty), {@code shape} and {@code data} (the raw bytes). Decoding also takes the
 * map with string keys {@code dtype}, {@code shape} and {@code data} that peers of protocol
 * version 1 before this layout wrote.
 */
public final class TensorCodec {
    private static final byte[] ND = bytes("nd");
    private static final byte[] TYPE = bytes("type");
    private static final byte[] KIND = bytes("kind");
    private static final byte[] SHAPE = bytes("shape");
    private static final byte[] DATA = bytes("data");

    private TensorCodec() {
    }

    public static void write(MessagePacker p, Tensor t) throws IOException {
        p.packMapHeader(5);
        key(p, ND).packBoolean(true);
        key(p, TYPE).packString(t.dtype());
        key(p, KIND).packBinaryHeader(0);
        key(p, SHAPE).packArrayHeader(t.shape().length);
        for (long d : t.shape()) {
            p.packLong(d);
        }
        key(p, DATA).packBinaryHeader(t.data().length).writePayload(t.data());
    }

    /**
     * Reads either layout; the dtype must be one of {@code dtypes}.
     *
     * @throws ProtocolException if it is no tensor, a dtype not allowed, or data that does not fill its shape
     */
    public static Tensor read(Value v, List<String> dtypes) {
        if (!v.isMapValue()) {
            throw malformed("a tensor must be a map");
        }
        Map<Value, Value> m = v.asMapValue().map();
        boolean numpy = m.containsKey(ValueFactory.newBinary(ND));
        Value nd = numpy ? field(m, ND, true) : null;
        if (numpy && !(nd.isBooleanValue() && nd.asBooleanValue().getBoolean())) {
            throw malformed("a tensor's 'nd' must be true (an array, not a numpy scalar)");
        }
        Value type = numpy ? field(m, TYPE, true) : field(m, bytes("dtype"), false);
        String dtype = type.isStringValue() ? type.asStringValue().asString()
                : type.isBinaryValue() ? new String(type.asBinaryValue().asByteArray(), US_ASCII)
                : null;
        if (dtype == null) {
            throw malformed("a tensor's dtype must be a string");
        }
        if (numpy && m.containsKey(ValueFactory.newBinary(KIND)) && !isEmpty(field(m, KIND, true))) {
            throw new ProtocolException(RejectReason.BAD_DTYPE, "structured or object arrays are not tensors");
        }
        if (!dtypes.contains(dtype)) {
            throw new ProtocolException(RejectReason.BAD_DTYPE, "dtype " + dtype + " (supported: "
                    + String.join(", ", dtypes) + ")");
        }
        Value shapeValue = field(m, SHAPE, numpy);
        Value dataValue = field(m, DATA, numpy);
        if (!shapeValue.isArrayValue() || !dataValue.isBinaryValue()) {
            throw malformed("a tensor's shape must be an array and its data binary");
        }
        List<Value> dims = shapeValue.asArrayValue().list();
        long[] shape = new long[dims.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            Value d = dims.get(i);
            if (!d.isIntegerValue() || !d.asIntegerValue().isInLongRange()) {
                throw malformed("a tensor's shape must hold integers");
            }
            shape[i] = d.asIntegerValue().toLong();
            if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
                throw new ProtocolException(RejectReason.BAD_SHAPE, "dimension " + shape[i]);
            }
            elements *= shape[i];
            if (elements > Integer.MAX_VALUE) {
                throw new ProtocolException(RejectReason.BAD_SHAPE, "shape " + Arrays.toString(shape));
            }
        }
        byte[] data = dataValue.asBinaryValue().asByteArray();
        if (data.length != elements * Tensor.itemSize(dtype)) {
            throw new ProtocolException(RejectReason.BAD_SHAPE, data.length + " bytes for "
                    + Arrays.toString(shape) + " of " + dtype);
        }
        return new Tensor(dtype, shape, data);
    }

    private static boolean isEmpty(Value v) {
        return (v.isBinaryValue() && v.asBinaryValue().asByteArray().length == 0)
                || (v.isStringValue() && v.asStringValue().asString().isEmpty());
    }

    /** A key as msgpack-numpy spells it (binary), or, for the older layout, as a string. */
    private static Value field(Map<Value, Value> m, byte[] key, boolean binaryKey) {
        Value v = m.get(binaryKey ? ValueFactory.newBinary(key) : ValueFactory.newString(key));
        if (v == null) {
            throw malformed("a tensor lacks '" + new String(key, US_ASCII) + "'");
        }
        return v;
    }

    private static MessagePacker key(MessagePacker p, byte[] k) throws IOException {
        return p.packBinaryHeader(k.length).writePayload(k);
    }

    private static ProtocolException malformed(String why) {
        return new ProtocolException(RejectReason.MALFORMED, why);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }
}
