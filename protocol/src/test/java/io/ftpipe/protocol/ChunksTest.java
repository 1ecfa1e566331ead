package io.ftpipe.protocol;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ChunksTest {

    private static byte[] bigForward(long term) {
        float[] v = new float[300_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f;
        }
        return MessageCodec.encode(new Message.Forward("j", term, 4, Tensor.ofFloats(new long[]{1, v.length},
                FloatBuffer.wrap(v))));
    }

    @Test
    void smallMessagesTravelWhole() {
        byte[] m = MessageCodec.encode(new Message.Stop("j", 1, "r"));
        assertSame(m, Chunks.split(m, 1024, "j", 1, 0, 1).get(0));
    }

    @Test
    void chunksReassembleInAnyOrder() {
        byte[] whole = bigForward(1);
        List<byte[]> pieces = new ArrayList<>(Chunks.split(whole, 100_000, "j", 1, 4, 77));
        assertEquals(13, pieces.size());
        Collections.shuffle(pieces, new Random(3));
        var assembler = new Chunks.Assembler(64 << 20);
        byte[] result = null;
        for (byte[] p : pieces) {
            assertNull(result, "complete before the last piece");
            result = assembler.add("d1", (Message.Chunk) MessageCodec.decode(p, 1 << 20));
        }
        assertArrayEquals(whole, result);
        assertEquals(0, assembler.pending());
    }

    @Test
    void aNewerTermDropsIncompleteOlderMessages() {
        var assembler = new Chunks.Assembler(64 << 20);
        List<byte[]> old = Chunks.split(bigForward(1), 100_000, "j", 1, 4, 1);
        assembler.add("d1", (Message.Chunk) MessageCodec.decode(old.get(0), 1 << 20));
        assertEquals(1, assembler.pending());
        List<byte[]> fresh = Chunks.split(bigForward(2), 100_000, "j", 2, 4, 2);
        assembler.add("d1", (Message.Chunk) MessageCodec.decode(fresh.get(0), 1 << 20));
        assertEquals(1, assembler.pending());
    }

    @Test
    void aMessageLargerThanTheLimitIsRejectedAtItsFirstPiece() {
        var assembler = new Chunks.Assembler(1_000_000);
        List<byte[]> pieces = Chunks.split(bigForward(1), 100_000, "j", 1, 4, 1);
        var e = assertThrows(ProtocolException.class,
                () -> assembler.add("d1", (Message.Chunk) MessageCodec.decode(pieces.get(0), 1 << 20)));
        assertEquals(RejectReason.OVERSIZED, e.reason());
    }

    @Test
    void tooMuchHeldAcrossMessagesIsRejected() {
        var assembler = new Chunks.Assembler(1_950_000);
        List<byte[]> a = Chunks.split(bigForward(1), 100_000, "j", 1, 4, 1);
        List<byte[]> b = Chunks.split(bigForward(1), 100_000, "j", 1, 5, 2);
        for (int i = 0; i < 12; i++) {
            assembler.add("d1", (Message.Chunk) MessageCodec.decode(a.get(i), 1 << 20));
        }
        for (int i = 0; i < 7; i++) {
            assembler.add("d1", (Message.Chunk) MessageCodec.decode(b.get(i), 1 << 20));
        }
        var e = assertThrows(ProtocolException.class,
                () -> assembler.add("d1", (Message.Chunk) MessageCodec.decode(b.get(7), 1 << 20)));
        assertEquals(RejectReason.OVERSIZED, e.reason());
    }

    @Test
    void duplicateOrInconsistentPiecesAreMalformed() {
        var assembler = new Chunks.Assembler(64 << 20);
        List<byte[]> pieces = Chunks.split(bigForward(1), 100_000, "j", 1, 4, 1);
        var first = (Message.Chunk) MessageCodec.decode(pieces.get(0), 1 << 20);
        assembler.add("d1", first);
        assertEquals(RejectReason.MALFORMED, assertThrows(ProtocolException.class,
                () -> assembler.add("d1", first)).reason());
        assertEquals(RejectReason.MALFORMED, assertThrows(ProtocolException.class,
                () -> assembler.add("d1", new Message.Chunk("j", 1, 4, 9, 5, 3, new byte[1]))).reason());
    }
}
