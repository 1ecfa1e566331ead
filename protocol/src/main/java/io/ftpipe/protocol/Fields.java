package io.ftpipe.protocol;

import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed access to a decoded map; a missing or mistyped field is a MALFORMED message. */
public final class Fields {
    private final Map<Value, Value> map;

    public Fields(Map<Value, Value> map) {
        this.map = map;
    }

    private Value get(String k) {
        Value v = map.get(ValueFactory.newString(k));
        if (v == null) {
            throw new ProtocolException(RejectReason.MALFORMED, "missing field '" + k + "'");
        }
        return v;
    }

    private static ProtocolException wrong(String k, String what) {
        return new ProtocolException(RejectReason.MALFORMED, "field '" + k + "' must be " + what);
    }

    /** Whether the field is there: fields added to a message later are optional, for older peers. */
    public boolean has(String k) {
        return map.containsKey(ValueFactory.newString(k));
    }

    public boolean flag(String k) {
        Value v = get(k);
        if (!v.isBooleanValue()) {
            throw wrong(k, "true or false");
        }
        return v.asBooleanValue().getBoolean();
    }

    public List<Integer> ints(String k) {
        List<Integer> out = new ArrayList<>();
        for (long x : longs(k)) {
            if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                throw wrong(k, "an array of 32-bit integers");
            }
            out.add((int) x);
        }
        return out;
    }

    public String str(String k) {
        Value v = get(k);
        if (!v.isStringValue()) {
            throw wrong(k, "a string");
        }
        return v.asStringValue().asString();
    }

    public long num(String k) {
        Value v = get(k);
        if (!v.isIntegerValue() || !v.asIntegerValue().isInLongRange()) {
            throw wrong(k, "an integer");
        }
        return v.asIntegerValue().toLong();
    }

    public int int32(String k) {
        long v = num(k);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw wrong(k, "a 32-bit integer");
        }
        return (int) v;
    }

    public double real(String k) {
        Value v = get(k);
        if (v.isFloatValue()) {
            return v.asFloatValue().toDouble();
        }
        if (v.isIntegerValue()) {
            return v.asIntegerValue().toLong();
        }
        throw wrong(k, "a number");
    }

    public byte[] bin(String k) {
        Value v = get(k);
        if (!v.isBinaryValue()) {
            throw wrong(k, "binary");
        }
        return v.asBinaryValue().asByteArray();
    }

    public List<Value> array(String k) {
        Value v = get(k);
        if (!v.isArrayValue()) {
            throw wrong(k, "an array");
        }
        return v.asArrayValue().list();
    }

    public Fields map(String k) {
        Value v = get(k);
        if (!v.isMapValue()) {
            throw wrong(k, "a map");
        }
        return new Fields(v.asMapValue().map());
    }

    public long[] longs(String k) {
        List<Value> a = array(k);
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isIntegerValue()) {
                throw wrong(k, "an array of integers");
            }
            out[i] = a.get(i).asIntegerValue().toLong();
        }
        return out;
    }

    public Tensor tensor(String k) {
        return TensorCodec.read(get(k), Tensor.DTYPES);
    }
}
