package io.ftpipe.protocol;

import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.util.List;

/** Writes map entries; {@link #head} opens a message map with its version and type. */
public final class MapWriter {
    private final MessagePacker p;

    public MapWriter(MessagePacker p) {
        this.p = p;
    }

    /** Opens a message map of {@code fields} fields besides the version and the type. */
    public MapWriter head(String type, int fields) throws IOException {
        p.packMapHeader(fields + 2);
        p.packString("v").packInt(Message.VERSION);
        p.packString("type").packString(type);
        return this;
    }

    public MapWriter key(String k) throws IOException {
        p.packString(k);
        return this;
    }

    public MapWriter str(String k, String v) throws IOException {
        p.packString(k).packString(v);
        return this;
    }

    public MapWriter num(String k, long v) throws IOException {
        p.packString(k).packLong(v);
        return this;
    }

    public MapWriter real(String k, double v) throws IOException {
        p.packString(k).packDouble(v);
        return this;
    }

    public MapWriter bin(String k, byte[] v) throws IOException {
        p.packString(k).packBinaryHeader(v.length).writePayload(v);
        return this;
    }

    public MapWriter longs(String k, long[] v) throws IOException {
        p.packString(k).packArrayHeader(v.length);
        for (long x : v) {
            p.packLong(x);
        }
        return this;
    }

    public MapWriter flag(String k, boolean v) throws IOException {
        p.packString(k).packBoolean(v);
        return this;
    }

    public MapWriter ints(String k, List<Integer> v) throws IOException {
        p.packString(k).packArrayHeader(v.size());
        for (int x : v) {
            p.packInt(x);
        }
        return this;
    }

    /** An array of binaries: encoded structures another module reads (unit states, replicas). */
    public MapWriter binaries(String k, List<byte[]> v) throws IOException {
        p.packString(k).packArrayHeader(v.size());
        for (byte[] b : v) {
            p.packBinaryHeader(b.length).writePayload(b);
        }
        return this;
    }

    public MapWriter tensor(String k, Tensor t) throws IOException {
        p.packString(k);
        TensorCodec.write(p, t);
        return this;
    }
}
