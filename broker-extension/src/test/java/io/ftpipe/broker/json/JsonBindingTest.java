package io.ftpipe.broker.json;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What every strict binding shares: the messages name the key as a path and say what it must be. */
class JsonBindingTest {

    record Entry(@JsonPropertyDescription("a name") String name, Integer count) {
    }

    record Document(Long size, Integer threads, Boolean on, Double rate, List<Entry> entries) {
    }

    private static Document bind(String json) throws JsonBindingException {
        return JsonBinding.bind(JsonBinding.parse(json), Document.class);
    }

    private static JsonBindingException refused(String json) {
        return assertThrows(JsonBindingException.class, () -> bind(json));
    }

    @Test
    void absentKeysAreNullAndPresentOnesTyped() throws Exception {
        Document d = bind("{\"size\": 5, \"rate\": 1, \"entries\": [{\"name\": \"a\"}]}");
        assertEquals(5L, d.size());
        assertNull(d.threads());
        assertEquals(1.0, d.rate());
        assertEquals(List.of(new Entry("a", null)), d.entries());
    }

    @Test
    void anExplicitNullIsRefusedWhereAbsenceMeansTheDefault() {
        JsonBindingException e = refused("{\"entries\": [{\"name\": \"a\", \"count\": null}]}");
        assertEquals(JsonBindingException.Kind.BAD_VALUE, e.kind());
        assertEquals("entries[0].count must be an integer, got null", e.getMessage());
    }

    @Test
    void valuesAreNeverCoerced() {
        assertEquals("size must be an integer, got \"5\"", refused("{\"size\": \"5\"}").getMessage());
        assertEquals("size must be an integer, got 2.0", refused("{\"size\": 2.0}").getMessage());
        assertEquals("on must be true or false, got 1", refused("{\"on\": 1}").getMessage());
        assertEquals("rate must be a number, got \"1\"", refused("{\"rate\": \"1\"}").getMessage());
        assertEquals("entries[0].name must be a name, got 7", refused("{\"entries\": [{\"name\": 7}]}").getMessage());
    }

    @Test
    void sectionsSayTheirKindAndScalarsTheirValue() {
        assertEquals("entries must be an array, got object", refused("{\"entries\": {}}").getMessage());
        assertEquals("entries[1] must be an object with name, count, got string",
                refused("{\"entries\": [{}, \"x\"]}").getMessage());
        assertEquals("size must be an integer, got [1]", refused("{\"size\": [1]}").getMessage());
    }

    @Test
    void anIntBeyondItsRangeIsOutOfRangeAndBeyondALongNotAnInteger() {
        assertEquals("threads is out of range: 99999999999", refused("{\"threads\": 99999999999}").getMessage());
        assertEquals("size must be an integer, got 99999999999999999999",
                refused("{\"size\": 99999999999999999999}").getMessage());
    }

    @Test
    void unknownKeysAreNamedWithWhereTheyAreAndWhatIsKnown() {
        JsonBindingException top = refused("{\"sise\": 1}");
        assertEquals(JsonBindingException.Kind.UNKNOWN_KEY, top.kind());
        assertEquals("unknown key 'sise' (known keys: size, threads, on, rate, entries)", top.getMessage());
        assertEquals("entries[0] has an unknown key 'cnt' (known keys: name, count)",
                refused("{\"entries\": [{\"cnt\": 1}]}").getMessage());
    }

    @Test
    void aKeyGivenTwiceIsASyntaxError() {
        JsonBindingException e = assertThrows(JsonBindingException.class,
                () -> JsonBinding.parse("{\"size\": 1, \"size\": 2}"));
        assertEquals(JsonBindingException.Kind.SYNTAX, e.kind());
        assertEquals("is not valid JSON: Duplicate field 'size' (line 1, column 19)", e.getMessage());
    }

    @Test
    void keysFollowTheRecord() {
        assertEquals(List.of("size", "threads", "on", "rate", "entries"), JsonBinding.keys(Document.class));
    }
}
