package io.ftpipe.device.wire;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Equality by content, for messages whose records hold arrays (which {@code equals} compares by
 * identity): records component by component, lists and maps element by element in order, arrays
 * element by element.
 */
final class Structural {
    private Structural() {
    }

    static void assertSame(Object expected, Object actual, String path) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, path);
        } else if (expected.getClass().isArray()) {
            assertEquals(expected.getClass(), actual.getClass(), path + ": array type");
            assertEquals(Array.getLength(expected), Array.getLength(actual), path + ": length");
            for (int i = 0; i < Array.getLength(expected); i++) {
                assertEquals(Array.get(expected, i), Array.get(actual, i), path + "[" + i + "]");
            }
        } else if (expected instanceof Record) {
            assertEquals(expected.getClass(), actual.getClass(), path + ": type");
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                assertSame(get(c, expected), get(c, actual), path + "." + c.getName());
            }
        } else if (expected instanceof List<?> e) {
            if (!(actual instanceof List<?> a) || e.size() != a.size()) {
                fail(path + ": expected " + e.size() + " elements, got " + actual);
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                assertSame(e.get(i), a.get(i), path + "[" + i + "]");
            }
        } else if (expected instanceof Map<?, ?> e) {
            if (!(actual instanceof Map<?, ?> a)) {
                fail(path + ": expected a map, got " + actual);
                return;
            }
            assertEquals(new ArrayList<>(e.keySet()), new ArrayList<>(a.keySet()), path + ": keys in order");
            for (Object k : e.keySet()) {
                assertSame(e.get(k), a.get(k), path + "[" + k + "]");
            }
        } else if (!Objects.equals(expected, actual)) {
            fail(path + ": expected " + expected + ", got " + actual);
        }
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(c.getName(), e);
        }
    }
}
