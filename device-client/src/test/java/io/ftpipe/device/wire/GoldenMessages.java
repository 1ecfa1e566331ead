package io.ftpipe.device.wire;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import io.ftpipe.protocol.OptimizerSettings;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.ParamState;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphsCodec;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message of every type with fixed contents, by the name of its golden file: what the wire
 * carried when the golden files were written. Maps are ordered, so the bytes are too.
 */
final class GoldenMessages {
    private GoldenMessages() {
    }

    static Map<String, Message> all() {
        Map<String, Message> m = new LinkedHashMap<>();
        m.put("hello", new Message.Hello("gw-1", 4, 1L << 33, 2, "0.1.0", 1 << 20));
        m.put("heartbeat", new Heartbeat("gw-1", 7, new Heartbeat.Activity("training", "job-1", 3, 1), 12.5, 2,
                new Heartbeat.StageTime(100.25, 20.5, 300.75), new Heartbeat.StageCounts(19, 17, 1L << 33),
                new Heartbeat.Replication(1L << 34, 1234.125), new Heartbeat.Boundary(240.5, 3_200_000)));
        m.put("heartbeat-offline", Heartbeat.lastWill("gw-1"));
        m.put("assign", new Message.Assign("job-1", 2, 1, 3, mlpGraphs(1, 3),
                new OptimizerSettings("adam", 1e-3, 0, 1e-4, 0.9, 0.999, 1e-8),
                units(unitWithMoments(1), unitWithMoments(2)), List.of(), "1f1b", 1, 64, 1234, 100, 200));
        m.put("assign-kept", new Message.Assign("job-1", 3, 0, 2, mlpGraphs(0, 1),
                new OptimizerSettings("sgd", 0.05, 0.9, 1e-4, 0, 0, 0), units(), List.of(0), "gpipe", 4, 16, 96,
                0, 0));
        // Since unit versions (exactly-once updates): the same messages with per-unit versions.
        m.put("assign-versions", new Message.Assign("job-1", 3, 0, 2, mlpGraphs(0, 2),
                new OptimizerSettings("sgd", 0.05, 0.9, 1e-4, 0, 0, 0), units(unitWithMoments(1)), List.of(0),
                "1f1b", 1, 16, 96, 100, 200, List.of(120L, 96L)));
        m.put("weights-versions", new Message.Weights("job-1", 4, 7, 1, 320, units(unitWithMoments(2)),
                List.of(new Message.Replica("job-1", 4, 0, 300, units(summary(1)), List.of(310L))), List.of(330L)));
        m.put("replica-versions", new Message.Replica("job-1", 4, 1, 310, units(unitWithMoments(1),
                unitWithoutMoments(2)), List.of(310L, 325L)));
        m.put("emulate", new Message.Emulate("gw-1", 2.5));
        m.put("ack", new Message.Ack("job-1", 2, 1, "gw-1"));
        // Since re-plans prepare the next term's sessions while the current one trains.
        m.put("prepare", new Message.Prepare("job-1", 4, 1, mlpGraphs(1, 3), 16));
        m.put("prepared", new Message.Prepared("job-1", 4, 1, "gw-1"));
        m.put("collect", new Message.Collect("job-1", 2, 99, true));
        m.put("weights", new Message.Weights("job-1", 4, 7, 1, 320, units(unitWithMoments(2)),
                List.of(new Message.Replica("job-1", 4, 0, 300, units(unitWithMoments(0), summary(1))))));
        m.put("replica", new Message.Replica("job-1", 4, 1, 310, units(unitWithMoments(1), unitWithoutMoments(2))));
        m.put("stop", new Message.Stop("job-1", 4, "job complete"));
        m.put("forward", new Message.Forward("job-1", 4, 41,
                Tensor.ofFloats(new long[]{2, 3}, FloatBuffer.wrap(new float[]{1, -2, 3.5f, Float.MIN_VALUE, 0, 7}))));
        m.put("backward", new Message.Backward("job-1", 4, 41,
                Tensor.ofFloats(new long[]{2, 2}, FloatBuffer.wrap(new float[]{0.5f, -0.25f, 8, -0f})), 12.5));
        m.put("labels", new Message.Labels("job-1", 4, 41, Tensor.ofLongs(new long[]{3}, new long[]{9, 0, 4}, 3)));
        m.put("progress", new Message.Progress("job-1", 4, 41, 2, Message.Progress.LOSS, 0.25, 60, 64));
        m.put("error", new Message.DeviceError("job-1", 4, "gw-1", "out of memory"));
        m.put("chunk", new Message.Chunk("job-1", 4, 41, 5, 1, 3, new byte[]{1, 2, 3, (byte) 0xff, 0}));
        return m;
    }

    /** The compiled graphs of units [from, to) of the mlp, as an {@code assign} carries them. */
    static byte[] mlpGraphs(int from, int to) {
        return StageGraphsCodec.encode(StageCompiler.compile(ModelZoo.mlp(), from, to));
    }

    private static List<byte[]> units(UnitState... states) {
        return UnitStatePayloads.encode(List.of(states));
    }

    /** A unit's weights and Adam moments (two slots), parameters in a fixed order. */
    private static UnitState unitWithMoments(int u) {
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("u" + u + ".weight", new float[]{u, -1.5f, 0.25f, 3e-8f});
        values.put("u" + u + ".bias", new float[]{0.125f, -u});
        Map<String, ParamState> moments = new LinkedHashMap<>();
        moments.put("u" + u + ".weight", new ParamState(7, List.of(new float[]{0.5f, 0.25f, -0.125f, 1},
                new float[]{1e-3f, 2e-3f, 3e-3f, 4e-3f})));
        moments.put("u" + u + ".bias", new ParamState(7, List.of(new float[]{0.5f, -0.5f}, new float[]{1e-4f, 0})));
        return new UnitState(u, values, moments);
    }

    /** A unit whose parameters have not stepped yet: values only. */
    private static UnitState unitWithoutMoments(int u) {
        return new UnitState(u, Map.of("u" + u + ".weight", new float[]{2, 4, 8}), Map.of());
    }

    /** What a collect that ends a term gets: which unit, without tensors. */
    private static UnitState summary(int u) {
        return new UnitState(u, Map.of(), Map.of());
    }
}
