package io.ftpipe.protocol;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MessagePack encoding of {@link Message}s: one map per message with {@code v} (the protocol
 * version), {@code type}, and the record's fields in snake_case. Decoding checks the version,
 * the type, every field's presence and type; problems become {@link ProtocolException}s.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    public static byte[] encode(Message m) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            MapWriter w = new MapWriter(p);
            if (m instanceof Message.Hello h) {
                w.head("hello", 6).str("device", h.device()).num("cores", h.cores())
                        .num("memory_bytes", h.memoryBytes()).num("threads", h.threads()).str("version", h.version())
                        .num("max_payload_bytes", h.maxPayloadBytes());
            } else if (m instanceof Message.Heartbeat h) {
                w.head("heartbeat", 18).str("device", h.device()).num("seq", h.seq())
                        .str("state", h.state()).str("job", h.job()).num("term", h.term()).num("stage", h.stage())
                        .real("compute_ms", h.computeMillis()).num("rejected", h.rejected())
                        .real("compute_total_ms", h.computeTotalMillis()).real("send_total_ms", h.sendTotalMillis())
                        .real("stage_ms", h.stageMillis()).num("forwards", h.forwards())
                        .num("micro_batches", h.microBatches())
                        .num("sent_bytes", h.sentBytes()).num("replicated_bytes", h.replicatedBytes())
                        .real("replicated_ms", h.replicatedMillis()).real("boundary_ms", h.boundaryMillis())
                        .num("boundary_bytes", h.boundaryBytes());
            } else if (m instanceof Message.Assign a) {
                w.head("assign", 14).str("job", a.job()).num("term", a.term()).num("stage", a.stage())
                        .num("stages", a.stages()).bin("graphs", a.graphs());
                w.key("optimizer");
                writeOptimizer(p, a.optimizer());
                w.binaries("units", a.units()).ints("kept", a.kept()).str("schedule", a.schedule()).num("micro_batches", a.microBatches()).num("max_batch", a.maxBatch())
                        .num("start", a.start()).num("chain_period", a.chainPeriod())
                        .num("global_period", a.globalPeriod());
            } else if (m instanceof Message.Emulate e) {
                w.head("emulate", 2).str("device", e.device()).real("slowdown", e.slowdown());
            } else if (m instanceof Message.Ack a) {
                w.head("ack", 4).str("job", a.job()).num("term", a.term()).num("stage", a.stage())
                        .str("device", a.device());
            } else if (m instanceof Message.Collect c) {
                w.head("collect", 4).str("job", c.job()).num("term", c.term())
                        .num("request", c.request()).flag("ends_term", c.endsTerm());
            } else if (m instanceof Message.Weights x) {
                w.head("weights", 7).str("job", x.job()).num("term", x.term()).num("request", x.request())
                        .num("stage", x.stage()).num("iteration", x.iteration());
                w.binaries("units", x.units()).binaries("held", x.held().stream().map(MessageCodec::encode).toList());
            } else if (m instanceof Message.Replica r) {
                w.head("replica", 5).str("job", r.job()).num("term", r.term()).num("stage", r.stage())
                        .num("iteration", r.iteration());
                w.binaries("units", r.units());
            } else if (m instanceof Message.Stop s) {
                w.head("stop", 3).str("job", s.job()).num("term", s.term()).str("reason", s.reason());
            } else if (m instanceof Message.Forward f) {
                w.head("forward", 4).str("job", f.job()).num("term", f.term())
                        .num("iteration", f.iteration()).tensor("x", f.x());
            } else if (m instanceof Message.Backward b) {
                w.head("backward", 5).str("job", b.job()).num("term", b.term())
                        .num("iteration", b.iteration()).tensor("dy", b.dy()).real("held_ms", b.heldMillis());
            } else if (m instanceof Message.Labels l) {
                w.head("labels", 4).str("job", l.job()).num("term", l.term())
                        .num("iteration", l.iteration()).tensor("labels", l.labels());
            } else if (m instanceof Message.Progress g) {
                w.head("progress", 8).str("job", g.job()).num("term", g.term())
                        .num("iteration", g.iteration()).num("stage", g.stage()).str("kind", g.kind())
                        .real("loss", g.loss()).num("correct", g.correct()).num("count", g.count());
            } else if (m instanceof Message.DeviceError e) {
                w.head("error", 4).str("job", e.job()).num("term", e.term())
                        .str("device", e.device()).str("reason", e.reason());
            } else if (m instanceof Message.Chunk c) {
                w.head("chunk", 7).str("job", c.job()).num("term", c.term())
                        .num("iteration", c.iteration()).num("id", c.id()).num("index", c.index())
                        .num("count", c.count()).bin("data", c.data());
            }
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
        String type = f.str("type");
        return switch (type) {
            case "hello" -> new Message.Hello(f.str("device"), f.int32("cores"), f.num("memory_bytes"),
                    f.int32("threads"), f.str("version"), f.int32("max_payload_bytes"));
            case "heartbeat" -> new Message.Heartbeat(f.str("device"), f.num("seq"), f.str("state"), f.str("job"),
                    f.num("term"), f.int32("stage"), f.real("compute_ms"), f.num("rejected"),
                    f.real("compute_total_ms"), f.real("send_total_ms"), f.real("stage_ms"), f.num("forwards"), f.num("micro_batches"),
                    f.num("sent_bytes"), f.num("replicated_bytes"), f.real("replicated_ms"),
                    f.has("boundary_ms") ? f.real("boundary_ms") : 0, f.has("boundary_bytes") ? f.num("boundary_bytes") : 0);
            case "assign" -> new Message.Assign(f.str("job"), f.num("term"), f.int32("stage"), f.int32("stages"),
                    f.bin("graphs"), readOptimizer(f.map("optimizer")), units(f),
                    f.has("kept") ? f.ints("kept") : List.of(), f.str("schedule"), f.int32("micro_batches"), f.int32("max_batch"), f.num("start"),
                    f.int32("chain_period"), f.int32("global_period"));
            case "emulate" -> new Message.Emulate(f.str("device"), f.real("slowdown"));
            case "ack" -> new Message.Ack(f.str("job"), f.num("term"), f.int32("stage"), f.str("device"));
            case "collect" -> new Message.Collect(f.str("job"), f.num("term"), f.num("request"),
                    f.has("ends_term") && f.flag("ends_term"));
            case "weights" -> new Message.Weights(f.str("job"), f.num("term"), f.num("request"), f.int32("stage"),
                    f.num("iteration"), units(f), held(f));
            case "replica" -> new Message.Replica(f.str("job"), f.num("term"), f.int32("stage"), f.num("iteration"),
                    units(f));
            case "stop" -> new Message.Stop(f.str("job"), f.num("term"), f.str("reason"));
            case "forward" -> new Message.Forward(f.str("job"), f.num("term"), f.num("iteration"), f.tensor("x"));
            case "backward" -> new Message.Backward(f.str("job"), f.num("term"), f.num("iteration"), f.tensor("dy"),
                    f.has("held_ms") ? f.real("held_ms") : Double.NaN);
            case "labels" -> new Message.Labels(f.str("job"), f.num("term"), f.num("iteration"), f.tensor("labels"));
            case "progress" -> new Message.Progress(f.str("job"), f.num("term"), f.num("iteration"), f.int32("stage"),
                    f.str("kind"), f.real("loss"), f.num("correct"), f.int32("count"));
            case "error" -> new Message.DeviceError(f.str("job"), f.num("term"), f.str("device"), f.str("reason"));
            case "chunk" -> new Message.Chunk(f.str("job"), f.num("term"), f.num("iteration"), f.num("id"),
                    f.int32("index"), f.int32("count"), f.bin("data"));
            default -> throw new ProtocolException(RejectReason.UNKNOWN_TYPE, "type '" + type + "'");
        };
    }

    /** Encoded unit states, which the receiver decodes. */
    private static List<byte[]> units(Fields f) {
        List<byte[]> out = new ArrayList<>();
        for (Value v : f.array("units")) {
            if (!v.isBinaryValue()) {
                throw new ProtocolException(RejectReason.MALFORMED, "units must be binary unit states");
            }
            out.add(v.asBinaryValue().asByteArray());
        }
        return out;
    }

    /** A device's held chain replicas: each a whole encoded {@code replica} message. */
    private static List<Message.Replica> held(Fields f) {
        List<Message.Replica> out = new ArrayList<>();
        for (Value v : f.array("held")) {
            if (!v.isBinaryValue() || !(decode(v.asBinaryValue().asByteArray(), Integer.MAX_VALUE)
                    instanceof Message.Replica r)) {
                throw new ProtocolException(RejectReason.MALFORMED, "held must be encoded replica messages");
            }
            out.add(r);
        }
        return out;
    }

    private static void writeOptimizer(MessageBufferPacker p, OptimizerSettings o) throws IOException {
        p.packMapHeader(7);
        new MapWriter(p).str("kind", o.kind()).real("lr", o.lr()).real("momentum", o.momentum()).real("weight_decay", o.weightDecay())
                .real("beta1", o.beta1()).real("beta2", o.beta2()).real("eps", o.eps());
    }

    private static OptimizerSettings readOptimizer(Fields f) {
        return new OptimizerSettings(f.str("kind"), f.real("lr"), f.real("momentum"), f.real("weight_decay"),
                f.real("beta1"), f.real("beta2"), f.real("eps"));
    }
}
