package io.ftpipe.device.wire;

import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.TensorCodec;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An encoded message with the tensors inside its unit states set aside: each one replaced by its
 * content (dtype, shape, data) after checking the layout it was written in. All else stays as it
 * was encoded: the message map with its keys, their order and every other value, the held
 * replicas, and each unit state's own map (unit, parameter names, steps, the order of slots).
 * Re-serializing a decoded MessagePack value gives back its bytes ({@link #roundTrip}), so two
 * messages whose canonical bytes are equal differ in their unit-state tensors' layout only.
 */
final class UnitStateTensors {
    /** How a tensor map is keyed: {@code {"dtype", "shape", "data"}} strings, or msgpack-numpy's binary keys. */
    enum Layout { STRING_KEYS, NUMPY }

    private static final Value ND = ValueFactory.newBinary("nd".getBytes(StandardCharsets.US_ASCII));

    private UnitStateTensors() {
    }

    /** @throws org.opentest4j.AssertionFailedError if a unit-state tensor is not in {@code layout} */
    static byte[] canonical(byte[] message, Layout layout) {
        Map<Value, Value> out = new LinkedHashMap<>();
        for (var e : parse(message).asMapValue().entrySet()) {
            Value v = e.getValue();
            switch (e.getKey().asStringValue().asString()) {
                case "units" -> v = eachBinary(v, state -> unitState(state, layout));
                case "held" -> v = eachBinary(v, replica -> canonical(replica, layout));
                default -> {
                    // Not a unit state: compared as it is.
                }
            }
            out.put(e.getKey(), v);
        }
        return write(ValueFactory.newMap(out));
    }

    /** What decoding and re-serializing makes of {@code bytes}. */
    static byte[] roundTrip(byte[] bytes) {
        return write(parse(bytes));
    }

    private static byte[] unitState(byte[] state, Layout layout) {
        Map<Value, Value> out = new LinkedHashMap<>();
        for (var e : parse(state).asMapValue().entrySet()) {
            Value v = e.getValue();
            switch (e.getKey().asStringValue().asString()) {
                case "values" -> v = eachEntry(v, t -> tensor(t, layout));
                case "optimizer" -> v = eachEntry(v, p -> eachEntry(p, f -> f.isArrayValue()
                        ? ValueFactory.newArray(f.asArrayValue().list().stream().map(t -> tensor(t, layout)).toList())
                        : f));
                default -> {
                    // The unit index: compared as it is.
                }
            }
            out.put(e.getKey(), v);
        }
        return write(ValueFactory.newMap(out));
    }

    private static Value tensor(Value t, Layout layout) {
        boolean numpy = t.asMapValue().map().containsKey(ND);
        assertEquals(layout, numpy ? Layout.NUMPY : Layout.STRING_KEYS, "layout of a unit-state tensor");
        Tensor x = TensorCodec.read(t, List.of(Tensor.FLOAT32));
        List<Value> shape = new ArrayList<>();
        for (long d : x.shape()) {
            shape.add(ValueFactory.newInteger(d));
        }
        return ValueFactory.newArray(ValueFactory.newString(x.dtype()), ValueFactory.newArray(shape),
                ValueFactory.newBinary(x.data()));
    }

    private static Value eachBinary(Value array, UnaryOperator<byte[]> f) {
        return ValueFactory.newArray(array.asArrayValue().list().stream()
                .map(b -> (Value) ValueFactory.newBinary(f.apply(b.asBinaryValue().asByteArray()))).toList());
    }

    private static Value eachEntry(Value map, UnaryOperator<Value> f) {
        Map<Value, Value> out = new LinkedHashMap<>();
        map.asMapValue().entrySet().forEach(e -> out.put(e.getKey(), f.apply(e.getValue())));
        return ValueFactory.newMap(out);
    }

    private static Value parse(byte[] bytes) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            return u.unpackValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] write(Value v) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packValue(v);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
