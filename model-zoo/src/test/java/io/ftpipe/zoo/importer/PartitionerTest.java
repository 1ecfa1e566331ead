package io.ftpipe.zoo.importer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PartitionerTest {

    private static Partitioner.Node node(List<String> in, String out, boolean main) {
        return new Partitioner.Node(in, List.of(out), main);
    }

    @Test
    void aChainCanBeCutBeforeEveryNode() {
        List<Partitioner.Node> nodes = List.of(node(List.of("x"), "a", true), node(List.of("a"), "b", false),
                node(List.of("b"), "c", true), node(List.of("c"), "y", false));
        assertEquals(List.of(1, 2, 3), Partitioner.cuts("x", nodes));
        assertEquals(List.of(0, 2), Partitioner.unitStarts("x", nodes));
        assertEquals("b", Partitioner.carried("x", nodes, 2));
    }

    /** x -> conv -> bn -> add(., x) -> relu -> conv: the block's input lives until the join. */
    @Test
    void aResidualBlockIsNeverCut() {
        List<Partitioner.Node> nodes = List.of(node(List.of("x"), "a", true), node(List.of("a"), "b", false),
                node(List.of("b", "x"), "c", false), node(List.of("c"), "d", false), node(List.of("d"), "y", true));
        assertEquals(List.of(3, 4), Partitioner.cuts("x", nodes));
        assertEquals(List.of(0, 4), Partitioner.unitStarts("x", nodes));
        assertEquals("d", Partitioner.carried("x", nodes, 4));
    }

    /** A downsampling branch written after the main path, as torch.onnx.export orders ResNet's. */
    @Test
    void branchesJoinedLaterKeepTheirInputAlive() {
        List<Partitioner.Node> nodes = List.of(node(List.of("x"), "a", true), node(List.of("a"), "b", true),
                node(List.of("x"), "s", true), node(List.of("b", "s"), "c", false), node(List.of("c"), "y", true));
        assertEquals(List.of(4), Partitioner.cuts("x", nodes));
    }

    @Test
    void aTensorUsedTwiceByOneNodeStaysAliveUntilThatNode() {
        List<Partitioner.Node> nodes = List.of(node(List.of("x"), "a", true), node(List.of("a", "a"), "b", false),
                node(List.of("b"), "y", true));
        assertEquals(List.of(1, 2), Partitioner.cuts("x", nodes));
    }

    /** Flatten before the first dense layer, activations after it: one unit per layer, as the zoo's. */
    @Test
    void workFreeNodesJoinTheLayerBeforeThem() {
        List<Partitioner.Node> nodes = List.of(node(List.of("x"), "f", false), node(List.of("f"), "a", true),
                node(List.of("a"), "r", false), node(List.of("r"), "b", true), node(List.of("b"), "y", false));
        assertEquals(List.of(0, 3), Partitioner.unitStarts("x", nodes));
    }
}
