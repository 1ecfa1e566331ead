package io.ftpipe.protocol;

import org.msgpack.core.MessagePacker;
import org.msgpack.value.Value;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How one record component travels in a message map: the entries it writes and how its value is
 * read back. Most are one key and its value ({@link #str}, {@link #num} and the rest); a
 * {@link RecordSchema} is a part whose fields sit in the enclosing map, and {@link #map} a part
 * in a map of its own.
 */
interface WireField {

    /** The type of the record component the field fills. */
    Class<?> type();

    /** How many map entries the field writes at most. */
    int entries();

    /** How many map entries the field writes for the component's {@code value}. */
    default int entries(Object value) {
        return entries();
    }

    /** Writes the field's entries, keys and values, for the component's {@code value}. */
    void write(MessagePacker p, Object value) throws IOException;

    /** @throws ProtocolException if the field is missing or malformed */
    Object read(Fields f);

    static Leaf str(String key) {
        return new Leaf(key, String.class, (p, v) -> p.packString((String) v), Fields::str, null);
    }

    static Leaf num(String key) {
        return new Leaf(key, long.class, (p, v) -> p.packLong((Long) v), Fields::num, null);
    }

    /** Written as {@link #num} is; the reader checks the range. */
    static Leaf int32(String key) {
        return new Leaf(key, int.class, (p, v) -> p.packLong((Integer) v), Fields::int32, null);
    }

    static Leaf real(String key) {
        return new Leaf(key, double.class, (p, v) -> p.packDouble((Double) v), Fields::real, null);
    }

    static Leaf flag(String key) {
        return new Leaf(key, boolean.class, (p, v) -> p.packBoolean((Boolean) v), Fields::flag, null);
    }

    static Leaf bin(String key) {
        return new Leaf(key, byte[].class, (p, v) -> binary(p, (byte[]) v), Fields::bin, null);
    }

    static Leaf tensor(String key) {
        return new Leaf(key, Tensor.class, (p, v) -> TensorCodec.write(p, (Tensor) v), Fields::tensor, null);
    }

    /** A list of 32-bit integers. */
    static Leaf ints(String key) {
        return new Leaf(key, List.class, (p, v) -> {
            List<?> list = (List<?>) v;
            p.packArrayHeader(list.size());
            for (Object x : list) {
                p.packInt((Integer) x);
            }
        }, Fields::ints, null);
    }

    /** A list of 64-bit integers. */
    static Leaf longs(String key) {
        return new Leaf(key, List.class, (p, v) -> {
            List<?> list = (List<?>) v;
            p.packArrayHeader(list.size());
            for (Object x : list) {
                p.packLong((Long) x);
            }
        }, (f, k) -> java.util.Arrays.stream(f.longs(k)).boxed().toList(), null);
    }

    /** Byte arrays that another module encodes and decodes; each must be binary, else "{key} must be {what}". */
    static Leaf binaries(String key, String what) {
        return new Leaf(key, List.class, (p, v) -> {
            List<?> list = (List<?>) v;
            p.packArrayHeader(list.size());
            for (Object b : list) {
                binary(p, (byte[]) b);
            }
        }, (f, k) -> {
            List<byte[]> out = new ArrayList<>();
            for (Value v : f.array(k)) {
                if (!v.isBinaryValue()) {
                    throw new ProtocolException(RejectReason.MALFORMED, k + " must be " + what);
                }
                out.add(v.asBinaryValue().asByteArray());
            }
            return out;
        }, null);
    }

    /** A list of {@code type} messages, each a whole encoded message in a binary; else "{key} must be {what}". */
    static Leaf messages(String key, Class<? extends Message> type, String what) {
        return new Leaf(key, List.class, (p, v) -> {
            List<?> list = (List<?>) v;
            p.packArrayHeader(list.size());
            for (Object m : list) {
                binary(p, MessageCodec.encode((Message) m));
            }
        }, (f, k) -> {
            List<Message> out = new ArrayList<>();
            for (Value v : f.array(k)) {
                Message m = v.isBinaryValue() ? MessageCodec.decode(v.asBinaryValue().asByteArray(), Integer.MAX_VALUE)
                        : null;
                if (!type.isInstance(m)) {
                    throw new ProtocolException(RejectReason.MALFORMED, k + " must be " + what);
                }
                out.add(m);
            }
            return out;
        }, null);
    }

    /** A record in a map of its own under {@code key}. */
    static WireField map(String key, RecordSchema<?> part) {
        return new WireField() {
            @Override
            public Class<?> type() {
                return part.type();
            }

            @Override
            public int entries() {
                return 1;
            }

            @Override
            public void write(MessagePacker p, Object value) throws IOException {
                p.packString(key).packMapHeader(part.entries(value));
                part.write(p, value);
            }

            @Override
            public Object read(Fields f) {
                return part.read(f.map(key));
            }
        };
    }

    private static void binary(MessagePacker p, byte[] b) throws IOException {
        p.packBinaryHeader(b.length).writePayload(b);
    }

    /** Writes a value without its key. */
    interface Writer {
        void write(MessagePacker p, Object value) throws IOException;
    }

    /** Reads the value under a key. */
    interface Reader {
        Object read(Fields f, String key);
    }

    /**
     * One key and its value. With an {@code absent} value, the field is optional: a field added to
     * a message later, which older peers do not send. An {@code omitted} field is not written at
     * all while its value is the absent one, so messages that do not use it keep their old bytes.
     */
    record Leaf(String key, Class<?> type, Writer writer, Reader reader, Object absent, boolean omitted)
            implements WireField {

        Leaf(String key, Class<?> type, Writer writer, Reader reader, Object absent) {
            this(key, type, writer, reader, absent, false);
        }

        /** This field, optional: {@code value} when a peer does not send it. */
        Leaf orAbsent(Object value) {
            return new Leaf(key, type, writer, reader, value, false);
        }

        /** This field, optional, and not written while it is {@code value}. */
        Leaf omittedWhen(Object value) {
            return new Leaf(key, type, writer, reader, value, true);
        }

        @Override
        public int entries() {
            return 1;
        }

        @Override
        public int entries(Object value) {
            return skips(value) ? 0 : 1;
        }

        @Override
        public void write(MessagePacker p, Object value) throws IOException {
            if (skips(value)) {
                return;
            }
            p.packString(key);
            writer.write(p, value);
        }

        @Override
        public Object read(Fields f) {
            return absent != null && !f.has(key) ? absent : reader.read(f, key);
        }

        private boolean skips(Object value) {
            return omitted && absent.equals(value);
        }
    }
}
