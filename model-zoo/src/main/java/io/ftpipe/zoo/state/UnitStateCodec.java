package io.ftpipe.zoo.state;

import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.TensorCodec;
import io.ftpipe.zoo.optim.ParamState;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MessagePack form of a {@link UnitState}:
 * {@code {"unit": int, "values": {name: tensor}, "optimizer": {name: {"step": int, "slots": [tensor]}}}}
 * with each tensor a one-dimensional {@code <f4} array written by the wire's {@link TensorCodec}
 * (msgpack-numpy's layout); the older {@code {"dtype", "shape", "data"}} maps still decode.
 */
public final class UnitStateCodec {
    private static final List<String> DTYPES = List.of(Tensor.FLOAT32);

    private UnitStateCodec() {
    }

    public static byte[] encode(UnitState s) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(3);
            p.packString("unit").packInt(s.unit());
            p.packString("values").packMapHeader(s.values().size());
            for (var e : s.values().entrySet()) {
                p.packString(e.getKey());
                TensorCodec.write(p, tensor(e.getValue()));
            }
            p.packString("optimizer").packMapHeader(s.optimizer().size());
            for (var e : s.optimizer().entrySet()) {
                p.packString(e.getKey()).packMapHeader(2);
                p.packString("step").packLong(e.getValue().step());
                p.packString("slots").packArrayHeader(e.getValue().slots().size());
                for (float[] slot : e.getValue().slots()) {
                    TensorCodec.write(p, tensor(slot));
                }
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory cannot fail", e);
        }
    }

    /** @throws IllegalArgumentException on anything that is not a well-formed unit state */
    public static UnitState decode(byte[] bytes) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            int unit = -1;
            Map<String, float[]> values = new LinkedHashMap<>();
            Map<String, ParamState> optimizer = new LinkedHashMap<>();
            for (var field : u.unpackValue().asMapValue().entrySet()) {
                Value v = field.getValue();
                switch (name(field.getKey())) {
                    case "unit" -> unit = v.asIntegerValue().asInt();
                    case "values" -> v.asMapValue().entrySet()
                            .forEach(e -> values.put(name(e.getKey()), floats(e.getValue())));
                    case "optimizer" -> v.asMapValue().entrySet()
                            .forEach(e -> optimizer.put(name(e.getKey()), paramState(e.getValue())));
                    default -> {
                        // A field of a later version: not ours to read.
                    }
                }
            }
            if (unit < 0) {
                throw new IllegalArgumentException("unit state without unit index");
            }
            return new UnitState(unit, values, optimizer);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed unit state: " + e.getMessage(), e);
        }
    }

    private static ParamState paramState(Value v) {
        long step = 0;
        List<float[]> slots = new ArrayList<>();
        for (var field : v.asMapValue().entrySet()) {
            switch (name(field.getKey())) {
                case "step" -> step = field.getValue().asIntegerValue().asLong();
                case "slots" -> field.getValue().asArrayValue().forEach(slot -> slots.add(floats(slot)));
                default -> {
                    // A field of a later version: not ours to read.
                }
            }
        }
        return new ParamState(step, slots);
    }

    private static String name(Value key) {
        return key.asStringValue().asString();
    }

    private static Tensor tensor(float[] v) {
        return Tensor.ofFloats(new long[]{v.length}, FloatBuffer.wrap(v));
    }

    private static float[] floats(Value v) {
        Tensor t = TensorCodec.read(v, DTYPES);
        float[] out = new float[(int) t.elements()];
        t.buffer().asFloatBuffer().get(out);
        return out;
    }
}
