package io.ftpipe.zoo.state;

import io.ftpipe.zoo.optim.ParamState;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MessagePack form of a {@link UnitState}:
 * {@code {"unit": int, "values": {name: tensor}, "optimizer": {name: {"step": int, "slots": [tensor]}}}}
 * with each tensor {@code {"dtype": "<f4", "shape": [n], "data": bin}} of little-endian bytes, the
 * layout msgpack-numpy reads.
 */
public final class UnitStateCodec {
    private UnitStateCodec() {
    }

    public static byte[] encode(UnitState s) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(3);
            p.packString("unit").packInt(s.unit());
            p.packString("values").packMapHeader(s.values().size());
            for (var e : s.values().entrySet()) {
                p.packString(e.getKey());
                packTensor(p, e.getValue());
            }
            p.packString("optimizer").packMapHeader(s.optimizer().size());
            for (var e : s.optimizer().entrySet()) {
                p.packString(e.getKey()).packMapHeader(2);
                p.packString("step").packLong(e.getValue().step());
                p.packString("slots").packArrayHeader(e.getValue().slots().size());
                for (float[] slot : e.getValue().slots()) {
                    packTensor(p, slot);
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
            int fields = u.unpackMapHeader();
            for (int f = 0; f < fields; f++) {
                switch (u.unpackString()) {
                    case "unit" -> unit = u.unpackInt();
                    case "values" -> {
                        int n = u.unpackMapHeader();
                        for (int i = 0; i < n; i++) {
                            values.put(u.unpackString(), unpackTensor(u));
                        }
                    }
                    case "optimizer" -> {
                        int n = u.unpackMapHeader();
                        for (int i = 0; i < n; i++) {
                            optimizer.put(u.unpackString(), unpackParamState(u));
                        }
                    }
                    default -> u.skipValue();
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

    private static ParamState unpackParamState(MessageUnpacker u) throws IOException {
        long step = 0;
        List<float[]> slots = new ArrayList<>();
        int fields = u.unpackMapHeader();
        for (int f = 0; f < fields; f++) {
            switch (u.unpackString()) {
                case "step" -> step = u.unpackLong();
                case "slots" -> {
                    int n = u.unpackArrayHeader();
                    for (int i = 0; i < n; i++) {
                        slots.add(unpackTensor(u));
                    }
                }
                default -> u.skipValue();
            }
        }
        return new ParamState(step, slots);
    }

    private static void packTensor(MessageBufferPacker p, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        p.packMapHeader(3);
        p.packString("dtype").packString("<f4");
        p.packString("shape").packArrayHeader(1).packInt(v.length);
        p.packString("data").packBinaryHeader(v.length * 4).writePayload(b.array());
    }

    private static float[] unpackTensor(MessageUnpacker u) throws IOException {
        String dtype = null;
        long count = -1;
        byte[] data = null;
        int fields = u.unpackMapHeader();
        for (int f = 0; f < fields; f++) {
            switch (u.unpackString()) {
                case "dtype" -> dtype = u.unpackString();
                case "shape" -> {
                    int dims = u.unpackArrayHeader();
                    count = 1;
                    for (int d = 0; d < dims; d++) {
                        count *= u.unpackLong();
                    }
                }
                case "data" -> data = u.readPayload(u.unpackBinaryHeader());
                default -> u.skipValue();
            }
        }
        if (!"<f4".equals(dtype) || data == null || data.length != count * 4) {
            throw new IllegalArgumentException("tensor must be <f4 with data matching its shape (dtype " + dtype
                    + ", " + count + " elements, " + (data == null ? 0 : data.length) + " bytes)");
        }
        float[] v = new float[(int) count];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
