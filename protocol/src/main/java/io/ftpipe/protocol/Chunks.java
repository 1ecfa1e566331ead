package io.ftpipe.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an encoded message that is too large to publish at once into {@link Message.Chunk}s, and
 * puts them together again on the other side. Large MQTT messages get slower faster than their
 * size (docs/design.md), so anything above the chunk size travels in pieces.
 */
public final class Chunks {
    /** The largest whole message reassembled from chunks (HiveMQ's own packet limit is 256 MiB too). */
    public static final int MAX_MESSAGE_BYTES = 256 << 20;

    /** Room left in a chunk message for its envelope (type, job, term, iteration, id, index, count). */
    public static final int ENVELOPE_BYTES = 1024;

    private Chunks() {
    }

    /** The chunk size for a receiver that accepts at most {@code maxPayloadBytes} per message. */
    public static int chunkBytesFor(int maxPayloadBytes, int preferred) {
        return Math.max(1, Math.min(preferred, maxPayloadBytes - ENVELOPE_BYTES));
    }

    /** The encoded message itself if it fits, else its chunks, each encoded. */
    public static List<byte[]> split(byte[] encoded, int chunkBytes, String job, long term, long iteration, long id) {
        if (encoded.length <= chunkBytes) {
            return List.of(encoded);
        }
        int count = (encoded.length + chunkBytes - 1) / chunkBytes;
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * chunkBytes;
            byte[] piece = java.util.Arrays.copyOfRange(encoded, from, Math.min(encoded.length, from + chunkBytes));
            out.add(MessageCodec.encode(new Message.Chunk(job, term, iteration, id, i, count, piece)));
        }
        return out;
    }

    /**
     * Collects chunks per (sender, id) and returns the whole message's bytes when the last piece
     * arrives. Incomplete messages of older terms are dropped when a newer term is seen, and the
     * total held is bounded. Not thread-safe: one per receiving thread.
     */
    public static final class Assembler {
        private final int maxBytes;
        private final Map<String, Partial> partials = new HashMap<>();
        private long held;

        public Assembler(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        private static final class Partial {
            final long term;
            final byte[][] pieces;
            int received;
            long bytes;

            Partial(long term, int count) {
                this.term = term;
                this.pieces = new byte[count][];
            }
        }

        /** @return the reassembled message's bytes, or null while pieces are missing */
        public byte[] add(String sender, Message.Chunk c) {
            if (c.count() < 2 || c.index() < 0 || c.index() >= c.count()) {
                throw new ProtocolException(RejectReason.MALFORMED, "chunk " + c.index() + " of " + c.count());
            }
            if ((long) (c.count() - 1) * c.data().length > maxBytes) {
                throw new ProtocolException(RejectReason.OVERSIZED, c.count() + " chunks of " + c.data().length
                        + " bytes exceed " + maxBytes + " bytes");
            }
            partials.values().removeIf(p -> p.term < c.term() && release(p));
            String key = sender + "#" + c.id();
            Partial p = partials.computeIfAbsent(key, k -> new Partial(c.term(), c.count()));
            if (p.pieces.length != c.count() || p.pieces[c.index()] != null) {
                throw new ProtocolException(RejectReason.MALFORMED, "chunk " + c.index() + " of " + c.count()
                        + " does not fit message " + c.id());
            }
            if (held + c.data().length > maxBytes) {
                partials.remove(key);
                release(p);
                throw new ProtocolException(RejectReason.OVERSIZED, "chunked message " + c.id() + " exceeds "
                        + maxBytes + " bytes");
            }
            p.pieces[c.index()] = c.data();
            p.received++;
            p.bytes += c.data().length;
            held += c.data().length;
            if (p.received < c.count()) {
                return null;
            }
            partials.remove(key);
            release(p);
            byte[] whole = new byte[(int) p.bytes];
            int at = 0;
            for (byte[] piece : p.pieces) {
                System.arraycopy(piece, 0, whole, at, piece.length);
                at += piece.length;
            }
            return whole;
        }

        private boolean release(Partial p) {
            held -= p.bytes;
            return true;
        }

        public int pending() {
            return partials.size();
        }
    }
}
