package io.ftpipe.protocol;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import java.io.IOException;

/**
 * MessagePack encoding of {@link Message}s: one map per message with {@code v} (the protocol
 * version), {@code type}, and the record's fields in snake_case, as {@link MessageSchemas} lists
 * them. Decoding checks the version, the type, every field's presence and type; problems become
 * {@link ProtocolException}s.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    public static byte[] encode(Message m) {
        MessageSchemas.Type type = MessageSchemas.BY_CLASS.get(m.getClass());
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(type.schema().entries(m) + 2);
            p.packString("v").packInt(Message.VERSION);
            p.packString("type").packString(type.name());
            type.schema().write(p, m);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory cannot fail", e);
        }
    }

    /** Decodes a message no larger than {@code maxBytes}. */
    public static Message decode(byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) {
            throw new ProtocolException(RejectReason.OVERSIZED, bytes.length + " bytes, limit " + maxBytes);
        }
        Fields f;
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            Value v = u.unpackValue();
            if (!v.isMapValue() || u.hasNext()) {
                throw new ProtocolException(RejectReason.MALFORMED, "not a single MessagePack map");
            }
            f = new Fields(v.asMapValue().map());
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProtocolException p) {
                throw p;
            }
            throw new ProtocolException(RejectReason.MALFORMED, "not MessagePack: " + e.getMessage());
        }
        long version = f.num("v");
        if (version != Message.VERSION) {
            throw new ProtocolException(RejectReason.UNSUPPORTED_VERSION, "version " + version + ", this side speaks "
                    + Message.VERSION);
        }
        String name = f.str("type");
        MessageSchemas.Type type = MessageSchemas.BY_NAME.get(name);
        if (type == null) {
            throw new ProtocolException(RejectReason.UNKNOWN_TYPE, "type '" + name + "'");
        }
        return (Message) type.schema().read(f);
    }
}
