package io.ftpipe.device.stage;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.protocol.OptimizerSettings;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.optim.ParamState;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphs;
import io.ftpipe.zoo.stage.StageGraphsCodec;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What an {@code assign} and a {@code weights} carry of the model, through the wire and the device's decoding. */
class AssignmentTest {
    private static final int MAX = 64 << 20;
    private static final OptimizerSettings ADAM = new OptimizerSettings("adam", 1e-3, 0, 0, 0.9, 0.999, 1e-8);

    private static Message roundTrip(Message m) {
        return MessageCodec.decode(MessageCodec.encode(m), MAX);
    }

    private static Message.Assign assign(byte[] graphs, OptimizerSettings optimizer, List<byte[]> units) {
        return new Message.Assign("j", 2, 1, 3, graphs, optimizer, units, List.of(3), "1f1b", 1, 64, 1234, 100, 200);
    }

    @Test
    void assignmentCarriesGraphsStatesAndSettings() {
        var model = ModelZoo.cnn();
        StageGraphs g = StageCompiler.compile(model, 2, 4);
        UnitState u = new UnitState(2, Map.of("u2.weight", new float[]{1, 2}),
                Map.of("u2.weight", new ParamState(3, List.of(new float[]{0.5f, 0.25f}))));
        var wire = (Message.Assign) roundTrip(assign(StageGraphsCodec.encode(g), ADAM,
                UnitStatePayloads.encode(List.of(u))));
        Assignment a = Assignment.decode(wire);
        assertEquals(g.from(), a.graphs().from());
        assertEquals(g.last(), a.graphs().last());
        assertArrayEquals(g.forward().onnx(), a.graphs().forward().onnx());
        assertArrayEquals(g.backward().onnx(), a.graphs().backward().onnx());
        assertEquals(g.forward().params(), a.graphs().forward().params());
        assertEquals(g.stash(), a.graphs().stash());
        assertEquals(g.gradients(), a.graphs().gradients());
        assertEquals(g.params().keySet(), a.graphs().params().keySet());
        assertArrayEquals(g.inputShape(), a.graphs().inputShape());
        assertEquals(OptimizerConfig.adam(1e-3, 0), a.optimizer());
        assertEquals(3, a.units().get(0).optimizer().get("u2.weight").step());
        assertEquals("1f1b", a.message().schedule());
        assertEquals(List.of(3), a.message().kept());
        assertEquals(1234, a.message().start());
        assertEquals(100, a.message().chainPeriod());
        assertEquals(200, a.message().globalPeriod());
    }

    @Test
    void weightsCarryTheChainReplicasTheDeviceHolds() {
        UnitState u1 = new UnitState(1, Map.of("u1.weight", new float[]{3, 4}),
                Map.of("u1.weight", new ParamState(5, List.of(new float[]{0.5f, 0.25f}))));
        UnitState u2 = new UnitState(2, Map.of("u2.weight", new float[]{-1}), Map.of());
        var replica = new Message.Replica("j", 4, 0, 300, UnitStatePayloads.encode(List.of(u1)));
        var w = (Message.Weights) roundTrip(new Message.Weights("j", 4, 7, 1, 320,
                UnitStatePayloads.encode(List.of(u2)), List.of(replica)));
        assertEquals(320, w.iteration());
        assertArrayEquals(new float[]{-1}, UnitStatePayloads.decode(w.units()).get(0).values().get("u2.weight"));
        Message.Replica held = w.held().get(0);
        assertEquals(0, held.stage());
        assertEquals(300, held.iteration());
        UnitState heldUnit = UnitStatePayloads.decode(held.units()).get(0);
        assertArrayEquals(new float[]{3, 4}, heldUnit.values().get("u1.weight"));
        assertEquals(5, heldUnit.optimizer().get("u1.weight").step());
        var r = (Message.Replica) roundTrip(replica);
        assertEquals(4, r.term());
        assertEquals(1, r.units().size());
    }

    @Test
    void unusableGraphsStatesOrSettingsAreMalformed() {
        byte[] graphs = StageGraphsCodec.encode(StageCompiler.compile(ModelZoo.mlp(), 0, 1));
        List<byte[]> units = UnitStatePayloads.encode(List.of(new UnitState(0, Map.of(), Map.of())));
        assertMalformed("stage graphs must be a map", assign(new byte[]{1}, ADAM, units));
        assertMalformed("malformed unit state", assign(graphs, ADAM, List.of(new byte[]{1, 2, 3})));
        assertMalformed("lr must be > 0", assign(graphs, new OptimizerSettings("sgd", 0, 0, 0, 0, 0, 0), units));
        assertEquals(1, Assignment.decode(assign(graphs, ADAM, units)).units().size());
    }

    private static void assertMalformed(String why, Message.Assign a) {
        var e = assertThrows(ProtocolException.class, () -> Assignment.decode(a));
        assertEquals(RejectReason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
