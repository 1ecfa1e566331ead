package io.ftpipe.zoo.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unit's name from its nodes' names. torch.onnx.export names a node by its module path and op
 * ("/layer1/layer1.0/conv1/Conv"): a unit is named by the path its nodes share
 * ("layer1/layer1.0"), or by its first and last node's modules when they share none. Pure.
 */
final class UnitNames {
    private UnitNames() {
    }

    static String of(List<String> nodeNames, int index) {
        List<List<String>> scopes = new ArrayList<>();
        for (String n : nodeNames) {
            List<String> parts = new ArrayList<>(Arrays.asList(n.split("/")));
            parts.removeIf(String::isEmpty);
            if (parts.size() < 2) {
                parts.add(0, "");
            }
            scopes.add(parts.subList(0, parts.size() - 1));
        }
        if (scopes.isEmpty() || nodeNames.stream().anyMatch(String::isEmpty)) {
            return "unit" + index;
        }
        List<String> common = new ArrayList<>(scopes.get(0));
        for (List<String> s : scopes) {
            int k = 0;
            while (k < common.size() && k < s.size() && common.get(k).equals(s.get(k))) {
                k++;
            }
            common = common.subList(0, k);
        }
        if (!common.isEmpty() && !common.get(common.size() - 1).isEmpty()) {
            return String.join("/", common);
        }
        String first = last(scopes.get(0), nodeNames.get(0));
        String end = last(scopes.get(scopes.size() - 1), nodeNames.get(nodeNames.size() - 1));
        return first.equals(end) ? first : first + ".." + end;
    }

    private static String last(List<String> scope, String name) {
        if (scope.isEmpty() || scope.get(scope.size() - 1).isEmpty()) {
            String[] parts = name.split("/");
            return parts[parts.length - 1];
        }
        return scope.get(scope.size() - 1);
    }
}
