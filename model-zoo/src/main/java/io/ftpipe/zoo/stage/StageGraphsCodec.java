package io.ftpipe.zoo.stage;

import io.ftpipe.protocol.Fields;
import io.ftpipe.protocol.MapWriter;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.onnx.DType;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MessagePack form of {@link StageGraphs}: what a device needs to run a stage without model code,
 * carried as the bytes of an {@code assign}'s {@code graphs}. Decoding problems are the wire's
 * {@link RejectReason#MALFORMED}.
 */
public final class StageGraphsCodec {
    private StageGraphsCodec() {
    }

    public static byte[] encode(StageGraphs g) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            var w = new MapWriter(p);
            p.packMapHeader(15);
            w.str("model", g.model()).num("from", g.from()).num("to", g.to()).num("first", g.first() ? 1 : 0)
                    .num("last", g.last() ? 1 : 0).longs("input_shape", g.inputShape())
                    .longs("output_shape", g.outputShape()).num("input_grad", g.inputGrad() ? 1 : 0);
            p.packString("params").packArrayHeader(g.params().size());
            for (ParamSpec s : g.params().values()) {
                p.packMapHeader(5);
                new MapWriter(p).str("name", s.name()).longs("shape", s.shape())
                        .num("trainable", s.trainable() ? 1 : 0).real("bound", s.uniformBound())
                        .real("constant", s.constant());
            }
            graph(p, "forward", g.forward());
            graph(p, "backward", g.backward());
            graph(p, "eval", g.eval());
            p.packString("stash").packArrayHeader(g.stash().size());
            for (ForwardScope.Stash s : g.stash()) {
                p.packArrayHeader(2).packString(s.name()).packString(s.type().name());
            }
            strings(p, "buffer_updates", g.bufferUpdates());
            strings(p, "gradients", g.gradients());
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory cannot fail", e);
        }
    }

    public static StageGraphs decode(byte[] bytes) {
        Fields f;
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            Value v = u.unpackValue();
            if (!v.isMapValue()) {
                throw new ProtocolException(RejectReason.MALFORMED, "stage graphs must be a map");
            }
            f = new Fields(v.asMapValue().map());
        } catch (IOException e) {
            throw new ProtocolException(RejectReason.MALFORMED, "stage graphs: " + e.getMessage());
        }
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        for (Value pv : f.array("params")) {
            if (!pv.isMapValue()) {
                throw new ProtocolException(RejectReason.MALFORMED, "param spec must be a map");
            }
            var p = new Fields(pv.asMapValue().map());
            ParamSpec s = new ParamSpec(p.str("name"), p.longs("shape"), p.num("trainable") == 1, p.real("bound"),
                    p.real("constant"));
            params.put(s.name(), s);
        }
        List<ForwardScope.Stash> stash = new ArrayList<>();
        for (Value sv : f.array("stash")) {
            List<Value> pair = sv.asArrayValue().list();
            try {
                stash.add(new ForwardScope.Stash(pair.get(0).asStringValue().asString(),
                        DType.valueOf(pair.get(1).asStringValue().asString())));
            } catch (RuntimeException e) {
                throw new ProtocolException(RejectReason.MALFORMED, "stash entry " + sv);
            }
        }
        return new StageGraphs(f.str("model"), f.int32("from"), f.int32("to"), f.num("first") == 1,
                f.num("last") == 1, f.longs("input_shape"), f.longs("output_shape"), params, graph(f.map("forward")),
                graph(f.map("backward")), graph(f.map("eval")), stash, strings(f, "buffer_updates"),
                strings(f, "gradients"), f.num("input_grad") == 1);
    }

    private static void graph(MessageBufferPacker p, String key, StageGraphs.Graph g) throws IOException {
        p.packString(key).packMapHeader(2);
        new MapWriter(p).bin("onnx", g.onnx());
        strings(p, "params", g.params());
    }

    private static StageGraphs.Graph graph(Fields f) {
        return new StageGraphs.Graph(f.bin("onnx"), strings(f, "params"));
    }

    private static void strings(MessageBufferPacker p, String key, List<String> values) throws IOException {
        p.packString(key).packArrayHeader(values.size());
        for (String s : values) {
            p.packString(s);
        }
    }

    private static List<String> strings(Fields f, String key) {
        List<String> out = new ArrayList<>();
        for (Value v : f.array(key)) {
            if (!v.isStringValue()) {
                throw new ProtocolException(RejectReason.MALFORMED, key + " must hold strings");
            }
            out.add(v.asStringValue().asString());
        }
        return out;
    }
}
