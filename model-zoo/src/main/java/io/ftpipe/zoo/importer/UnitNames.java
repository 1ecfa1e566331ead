package io.ftpipe.zoo.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Units' names from their nodes' names. torch.onnx.export names a node by its module path and op
 * ("/layer1/layer1.0/conv1/Conv"): a unit is named by the module path its nodes share
 * ("layer1/layer1.0"); where that names several units (children of one Sequential), by the shared
 * path and its first and last child ("features/features.0..features.2"). Nodes without names
 * give "unit<index>". Pure.
 */
final class UnitNames {
    private UnitNames() {
    }

    /** @param units each unit's node names, in order */
    static List<String> of(List<List<String>> units) {
        List<String> names = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            names.add(name(units.get(u), u, false));
        }
        Map<String, Integer> count = new HashMap<>();
        names.forEach(n -> count.merge(n, 1, Integer::sum));
        for (int u = 0; u < units.size(); u++) {
            if (count.get(names.get(u)) > 1) {
                names.set(u, name(units.get(u), u, true));
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int u = 0; u < names.size(); u++) {
            if (seen.merge(names.get(u), 1, Integer::sum) > 1) {
                names.set(u, names.get(u) + "#" + u);
            }
        }
        return names;
    }

    private static String name(List<String> nodes, int index, boolean detailed) {
        if (nodes.isEmpty() || nodes.stream().anyMatch(String::isEmpty)) {
            return "unit" + index;
        }
        List<List<String>> scopes = nodes.stream().map(UnitNames::scope).toList();
        int common = scopes.get(0).size();
        for (List<String> s : scopes) {
            int k = 0;
            while (k < common && k < s.size() && scopes.get(0).get(k).equals(s.get(k))) {
                k++;
            }
            common = k;
        }
        List<String> shared = scopes.get(0).subList(0, common);
        String first = next(scopes.get(0), common, nodes.get(0));
        String last = next(scopes.get(scopes.size() - 1), common, nodes.get(nodes.size() - 1));
        String range = first.equals(last) ? first : first + ".." + last;
        if (shared.isEmpty()) {
            return range;
        }
        return detailed ? String.join("/", shared) + "/" + range : String.join("/", shared);
    }

    /** A node's module path: its name's parts without the op. */
    private static List<String> scope(String name) {
        List<String> parts = new ArrayList<>(Arrays.asList(name.split("/")));
        parts.removeIf(String::isEmpty);
        return parts.isEmpty() ? parts : parts.subList(0, parts.size() - 1);
    }

    /** The part of a node's path after the shared prefix; the op's name when there is none. */
    private static String next(List<String> scope, int common, String name) {
        if (common < scope.size()) {
            return scope.get(common);
        }
        String[] parts = name.split("/");
        return parts[parts.length - 1];
    }
}
