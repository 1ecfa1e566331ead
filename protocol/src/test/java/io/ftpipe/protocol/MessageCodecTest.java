package io.ftpipe.protocol;

import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MessageCodecTest {
    private static final int MAX = 64 << 20;

    private static Message roundTrip(Message m) {
        return MessageCodec.decode(MessageCodec.encode(m), MAX);
    }

    @Test
    void unitVersionsTravelAndAreLeftOutWhenUnused() throws Exception {
        byte[] state = {1, 2, 3};
        var with = new Message.Replica("j", 2, 1, 40, List.of(state, state), List.of(40L, 55L));
        var back = (Message.Replica) roundTrip(with);
        assertEquals(List.of(40L, 55L), back.versions());
        assertEquals(55, back.version(1));

        var without = new Message.Replica("j", 2, 1, 40, List.of(state));
        byte[] bytes = MessageCodec.encode(without);
        var map = MessagePack.newDefaultUnpacker(bytes).unpackValue().asMapValue().map();
        assertFalse(map.keySet().stream().anyMatch(k -> k.toString().equals("versions")),
                "a message without versions keeps its old keys: " + map.keySet());
        var decoded = (Message.Replica) MessageCodec.decode(bytes, MAX);
        assertEquals(List.of(), decoded.versions());
        assertEquals(40, decoded.version(0), "without versions every unit is at the iteration");
    }

    @Test
    void simpleMessagesRoundTrip() {
        List<Message> all = List.of(
                new Message.Hello("d1", 4, 1L << 33, 2, "0.1.0", 1 << 20),
                new Heartbeat("d1", 7, new Heartbeat.Activity("training", "job-1", 3, 1), 12.5, 2,
                        new Heartbeat.StageTime(100, 20, 300), new Heartbeat.StageCounts(19, 17, 1L << 33),
                        new Heartbeat.Replication(1L << 34, 1234.125), Heartbeat.Boundary.NONE),
                new Message.Emulate("d1", 2.5),
                new Message.Ack("job-1", 3, 2, "d1"),
                new Message.Collect("job-1", 3, 99, false),
                new Message.Collect("job-1", 3, 100, true),
                new Message.Stop("job-1", 3, "done"),
                new Message.Progress("job-1", 3, 41, 2, Message.Progress.LOSS, 0.25, 60, 64),
                new Message.DeviceError("job-1", 3, "d1", "out of memory"));
        for (Message m : all) {
            assertEquals(m, roundTrip(m), m.getClass().getSimpleName());
        }
    }

    @Test
    void tensorsRoundTripBitExactly() {
        Tensor x = Tensor.ofFloats(new long[]{2, 3}, FloatBuffer.wrap(new float[]{1, -2, 3.5f, Float.MIN_VALUE, 0, 7}));
        var f = (Message.Forward) roundTrip(new Message.Forward("j", 1, 5, x));
        assertEquals(5, f.iteration());
        assertArrayEquals(x.shape(), f.x().shape());
        assertArrayEquals(x.data(), f.x().data());
        Tensor labels = Tensor.ofLongs(new long[]{3}, new long[]{9, 0, 4}, 3);
        var l = (Message.Labels) roundTrip(new Message.Labels("j", 1, 5, labels));
        assertEquals(9, l.labels().buffer().getLong(0));
        var b = (Message.Backward) roundTrip(new Message.Backward("j", 1, 5, x, 12.5));
        assertArrayEquals(x.data(), b.dy().data());
        assertEquals(12.5, b.heldMillis());
        assertTrue(Double.isNaN(((Message.Backward) roundTrip(new Message.Backward("j", 1, 5, x))).heldMillis()));
    }

    @Test
    void heartbeatCarriesBoundaryRoundTrips() {
        var h = new Heartbeat("d", 3, new Heartbeat.Activity("training", "j", 2, 0), 1.5, 0,
                new Heartbeat.StageTime(100, 10, 400), new Heartbeat.StageCounts(20, 18, 5000),
                Heartbeat.Replication.NONE, new Heartbeat.Boundary(240.5, 3_200_000));
        assertEquals(h, roundTrip(h));
    }

    @Test
    void assignmentCarriesEncodedGraphsAndStatesAndPlainSettings() {
        var settings = new OptimizerSettings("adam", 1e-3, 0, 0, 0.9, 0.999, 1e-8);
        var a = (Message.Assign) roundTrip(new Message.Assign("j", 2, 1, 3, new byte[]{1, 2, 3}, settings,
                List.of(new byte[]{4, 5}, new byte[0]), List.of(3), "1f1b", 1, 64, 1234, 100, 200));
        assertArrayEquals(new byte[]{1, 2, 3}, a.graphs());
        assertEquals(settings, a.optimizer());
        assertEquals(2, a.units().size());
        assertArrayEquals(new byte[]{4, 5}, a.units().get(0));
        assertArrayEquals(new byte[0], a.units().get(1));
        assertEquals("1f1b", a.schedule());
        assertEquals(List.of(3), a.kept());
        assertEquals(1234, a.start());
        assertEquals(100, a.chainPeriod());
        assertEquals(200, a.globalPeriod());
        assertEquals(WireDtype.FLOAT32, a.wire(), "absent: float32, as from a peer that predates it");
        var half = new Message.Assign("j", 2, 1, 3, new byte[]{1}, settings, List.of(), List.of(), "1f1b", 1, 64,
                0, 0, 0, List.of(), "float16");
        assertEquals(WireDtype.FLOAT16, ((Message.Assign) roundTrip(half)).wire());
        assertTrue(new String(MessageCodec.encode(half), StandardCharsets.ISO_8859_1).contains("wire_dtype"));
        assertFalse(new String(MessageCodec.encode(a), StandardCharsets.ISO_8859_1).contains("wire_dtype"),
                "a float32 assign keeps the bytes it had before halves existed");
    }

    @Test
    void weightsCarryTheChainReplicasTheDeviceHolds() {
        var replica = new Message.Replica("j", 4, 0, 300, List.of(new byte[]{7, 8}));
        var w = (Message.Weights) roundTrip(new Message.Weights("j", 4, 7, 1, 320, List.of(new byte[]{9}),
                List.of(replica)));
        assertEquals(320, w.iteration());
        assertArrayEquals(new byte[]{9}, w.units().get(0));
        Message.Replica held = w.held().get(0);
        assertEquals(0, held.stage());
        assertEquals(300, held.iteration());
        assertArrayEquals(new byte[]{7, 8}, held.units().get(0));
        var r = (Message.Replica) roundTrip(replica);
        assertEquals(4, r.term());
        assertEquals(1, r.units().size());
    }

    @Test
    void unitStatesMustBeBinary() throws Exception {
        var p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(7).packString("v").packInt(1).packString("type").packString("replica")
                .packString("job").packString("j").packString("term").packLong(1).packString("stage").packInt(0)
                .packString("iteration").packLong(3).packString("units").packArrayHeader(1).packString("not bytes");
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(p.toByteArray(), MAX));
        assertEquals(RejectReason.MALFORMED, e.reason());
        assertEquals("MALFORMED: units must be binary unit states", e.getMessage());
    }

    @Test
    void garbageIsMalformed() {
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(new byte[]{(byte) 0xc1, 1, 2}, MAX));
        assertEquals(RejectReason.MALFORMED, e.reason());
        assertEquals(RejectReason.MALFORMED,
                assertThrows(ProtocolException.class, () -> MessageCodec.decode(new byte[0], MAX)).reason());
    }

    @Test
    void versionTypeSizeAndFieldsAreChecked() throws Exception {
        assertEquals(RejectReason.UNSUPPORTED_VERSION, reject(map("v", 2, "type", "stop")));
        assertEquals(RejectReason.UNKNOWN_TYPE, reject(map("v", 1, "type", "teleport")));
        assertEquals(RejectReason.MALFORMED, reject(map("v", 1, "type", "stop", "job", "j")));
        assertEquals(RejectReason.MALFORMED, reject(map("v", 1, "type", "stop", "job", "j", "term", "x",
                "reason", "r")));
        byte[] ok = MessageCodec.encode(new Message.Stop("j", 1, "r"));
        assertEquals(RejectReason.OVERSIZED,
                assertThrows(ProtocolException.class, () -> MessageCodec.decode(ok, ok.length - 1)).reason());
    }

    @Test
    void fieldsAddedLaterAreOptionalForOlderPeers() throws Exception {
        assertEquals(new Message.Collect("j", 2, 7, false),
                MessageCodec.decode(map("v", 1, "type", "collect", "job", "j", "term", 2, "request", 7), MAX));
        assertEquals(RejectReason.MALFORMED, reject(map("v", 1, "type", "collect", "job", "j", "term", 2,
                "request", 7, "ends_term", "yes")));
        var older = (Heartbeat) MessageCodec.decode(map("v", 1, "type", "heartbeat", "device", "d", "seq", 1,
                "state", "idle", "job", "", "term", 0, "stage", -1, "compute_ms", 0, "rejected", 0,
                "compute_total_ms", 0, "send_total_ms", 0, "stage_ms", 0, "forwards", 0, "micro_batches", 0,
                "sent_bytes", 0, "replicated_bytes", 0, "replicated_ms", 0), MAX);
        assertEquals(0, older.boundary().millis());
        assertEquals(0, older.boundary().bytes());
    }

    @Test
    void tensorsWithBadDtypeOrInconsistentDataAreRejected() {
        byte[] wrongDtype = MessageCodec.encode(new Message.Forward("j", 1, 1, new Tensor("<f8", new long[]{1}, new byte[8])));
        assertEquals(RejectReason.BAD_DTYPE,
                assertThrows(ProtocolException.class, () -> MessageCodec.decode(wrongDtype, MAX)).reason());
        byte[] short_ = MessageCodec.encode(new Message.Forward("j", 1, 1, new Tensor("<f4", new long[]{2, 2}, new byte[12])));
        assertEquals(RejectReason.BAD_SHAPE,
                assertThrows(ProtocolException.class, () -> MessageCodec.decode(short_, MAX)).reason());
    }

    @Test
    void tensorsOfOlderPeersWithStringKeysAreStillRead() throws Exception {
        var p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(6).packString("v").packInt(1).packString("type").packString("forward")
                .packString("job").packString("j").packString("term").packLong(1).packString("iteration").packLong(3)
                .packString("x").packMapHeader(3).packString("dtype").packString("<f4")
                .packString("shape").packArrayHeader(2).packInt(1).packInt(2)
                .packString("data").packBinaryHeader(8).writePayload(new byte[]{0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40});
        var f = (Message.Forward) MessageCodec.decode(p.toByteArray(), MAX);
        assertEquals(1f, f.x().buffer().getFloat(0));
        assertEquals(2f, f.x().buffer().getFloat(4));
    }

    @Test
    void tensorCheckCatchesShapeDtypeAndNaN() {
        Tensor ok = Tensor.ofFloats(new long[]{2, 3}, FloatBuffer.wrap(new float[6]));
        ok.check(Tensor.FLOAT32, new long[]{3}, 64);
        assertEquals(RejectReason.BAD_SHAPE, assertThrows(ProtocolException.class,
                () -> ok.check(Tensor.FLOAT32, new long[]{4}, 64)).reason());
        assertEquals(RejectReason.BAD_SHAPE, assertThrows(ProtocolException.class,
                () -> ok.check(Tensor.FLOAT32, new long[]{3}, 1)).reason());
        assertEquals(RejectReason.BAD_DTYPE, assertThrows(ProtocolException.class,
                () -> ok.check(Tensor.INT64, new long[]{3}, 64)).reason());
        Tensor nan = Tensor.ofFloats(new long[]{1, 2}, FloatBuffer.wrap(new float[]{1, Float.NaN}));
        assertEquals(RejectReason.NON_FINITE, assertThrows(ProtocolException.class,
                () -> nan.check(Tensor.FLOAT32, new long[]{2}, 64)).reason());
    }

    private static RejectReason reject(byte[] bytes) {
        return assertThrows(ProtocolException.class, () -> MessageCodec.decode(bytes, MAX)).reason();
    }

    private static byte[] map(Object... kv) throws Exception {
        var p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(kv.length / 2);
        for (int i = 0; i < kv.length; i += 2) {
            p.packString((String) kv[i]);
            if (kv[i + 1] instanceof Integer n) {
                p.packInt(n);
            } else {
                p.packString((String) kv[i + 1]);
            }
        }
        return p.toByteArray();
    }
}
