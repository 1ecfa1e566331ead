package io.ftpipe.zoo.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where an imported graph is cut into partition units. A cut may fall before a node only where
 * a single tensor carries everything from the nodes before to the nodes after (so a residual
 * block, whose input stays alive until its join, is never cut). Of those places, a unit begins
 * before each node that does a layer's main work (a convolution, a dense product, a pooling),
 * once the unit so far has one: activations, normalisation and reshapes stay with the layer
 * before them, as in the zoo's units. Pure.
 */
final class Partitioner {

    /** A node as the partitioner sees it: activation tensors in and out, and whether it is main work. */
    record Node(List<String> inputs, List<String> outputs, boolean main) {
    }

    private Partitioner() {
    }

    /** Indices i (0 < i < n) such that exactly one tensor is alive between node i-1 and node i. */
    static List<Integer> cuts(String input, List<Node> nodes) {
        Map<String, Integer> uses = new HashMap<>();
        for (Node n : nodes) {
            n.inputs().forEach(t -> uses.merge(t, 1, Integer::sum));
        }
        Set<String> alive = new HashSet<>();
        if (uses.containsKey(input)) {
            alive.add(input);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String t : nodes.get(i).inputs()) {
                if (uses.merge(t, -1, Integer::sum) == 0) {
                    alive.remove(t);
                }
            }
            for (String t : nodes.get(i).outputs()) {
                if (uses.getOrDefault(t, 0) > 0) {
                    alive.add(t);
                }
            }
            if (i + 1 < nodes.size() && alive.size() == 1) {
                out.add(i + 1);
            }
        }
        return out;
    }

    /** The first node of each unit, starting with 0. */
    static List<Integer> unitStarts(String input, List<Node> nodes) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        boolean hasMain = false;
        int next = 0;
        for (int cut : cuts(input, nodes)) {
            for (; next < cut; next++) {
                hasMain |= nodes.get(next).main();
            }
            if (nodes.get(cut).main() && hasMain) {
                starts.add(cut);
                hasMain = false;
            }
        }
        return starts;
    }

    /** The single tensor alive before node {@code cut} (a value of {@link #cuts}). */
    static String carried(String input, List<Node> nodes, int cut) {
        Set<String> produced = new HashSet<>(List.of(input));
        for (int i = 0; i < cut; i++) {
            produced.addAll(nodes.get(i).outputs());
        }
        for (int i = cut; i < nodes.size(); i++) {
            for (String t : nodes.get(i).inputs()) {
                if (produced.contains(t)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("nothing crosses the cut before node " + cut);
    }
}
