package io.ftpipe.protocol;

import org.msgpack.core.MessagePacker;

import java.io.IOException;

/**
 * Writes map entries, key and value, the way messages write their fields: for structures that
 * travel inside messages as bytes of their own (stage graphs), read back with {@link Fields}.
 */
public final class MapWriter {
    private final MessagePacker p;

    public MapWriter(MessagePacker p) {
        this.p = p;
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
}
