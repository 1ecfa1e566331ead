package io.ftpipe.protocol;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.ftpipe.protocol.WireField.int32;
import static io.ftpipe.protocol.WireField.num;
import static io.ftpipe.protocol.WireField.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class RecordSchemaTest {
    /** A record to describe wrongly. */
    public record Pair(String name, long count) {
    }

    @Test
    void everyMessageTypeHasASchema() {
        assertEquals(Set.of(Message.class.getPermittedSubclasses()), MessageSchemas.BY_CLASS.keySet());
        assertEquals(MessageSchemas.ALL.size(), MessageSchemas.BY_NAME.size(), "type names are distinct");
    }

    @Test
    void aSchemaCountsItsPartsFieldsAsEntriesOfTheEnclosingMap() {
        var heartbeat = MessageSchemas.BY_CLASS.get(Message.Heartbeat.class).schema();
        assertEquals(18, heartbeat.entries());
        assertEquals(16, MessageSchemas.BY_NAME.get("assign").schema().entries(), "the optimizer is one entry");
    }

    @Test
    void fieldsMustMatchTheComponentsOneForOne() {
        var missing = assertThrows(IllegalArgumentException.class, () -> new RecordSchema<>(Pair.class, str("name")));
        assertEquals("Pair has 2 components, its schema 1 fields", missing.getMessage());
        var mistyped = assertThrows(IllegalArgumentException.class,
                () -> new RecordSchema<>(Pair.class, str("name"), int32("count")));
        assertEquals("Pair.count is a long, its field a int", mistyped.getMessage());
        assertEquals(2, new RecordSchema<>(Pair.class, str("name"), num("count")).entries());
    }
}
