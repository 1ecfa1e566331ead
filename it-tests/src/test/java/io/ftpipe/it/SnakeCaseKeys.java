package io.ftpipe.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that every key of a published JSON is snake_case, as docs/protocol.md promises. */
final class SnakeCaseKeys {
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    /** Objects keyed by data (device ids, unit indexes), not by names: their values are checked. */
    private static final Set<String> KEYED_BY_DATA = Set.of("capacities", "sources", "rejected");

    private SnakeCaseKeys() {
    }

    static void check(JsonNode json, String where) {
        walk(json, where, false);
    }

    private static void walk(JsonNode node, String path, boolean keyedByData) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", false);
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                assertTrue(keyedByData || SNAKE.matcher(e.getKey()).matches(),
                        "key '" + e.getKey() + "' at " + path + " is not snake_case");
                walk(e.getValue(), path + "." + e.getKey(), !keyedByData && KEYED_BY_DATA.contains(e.getKey()));
            });
        }
    }
}
