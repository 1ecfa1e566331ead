package io.ftpipe.device.wire;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wire bytes of one message of every type, against golden files written by an earlier build
 * (src/test/resources/wire/golden): they must encode to exactly those bytes, and the files must
 * decode to the same messages. A failure writes what this build encodes to
 * {@code target/wire-golden-actual/}, to compare (or, after a deliberate change of the wire
 * format, to adopt).
 */
class WireCompatibilityTest {
    private static final Map<String, Message> MESSAGES = GoldenMessages.all();

    @Test
    void everyMessageTypeHasAGoldenMessage() {
        Set<Class<?>> covered = MESSAGES.values().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(Message.class.getPermittedSubclasses()), covered);
    }

    @Test
    void messagesEncodeToTheGoldenBytes() throws IOException {
        List<String> different = new ArrayList<>();
        for (var e : MESSAGES.entrySet()) {
            byte[] actual = MessageCodec.encode(e.getValue());
            if (!Arrays.equals(goldenOrNull(e.getKey()), actual)) {
                different.add(e.getKey() + ": " + keep(e.getKey(), actual));
            }
        }
        assertEquals(List.of(), different, "messages that encode differently from their golden files");
    }

    @Test
    void goldenBytesDecodeToTheMessages() throws IOException {
        for (var e : MESSAGES.entrySet()) {
            Message decoded = MessageCodec.decode(golden(e.getKey()), Integer.MAX_VALUE);
            Structural.assertSame(e.getValue(), decoded, e.getKey());
        }
    }

    static byte[] golden(String name) throws IOException {
        byte[] bytes = goldenOrNull(name);
        if (bytes == null) {
            fail("no golden file for " + name + "; " + keep(name, MessageCodec.encode(MESSAGES.get(name))));
        }
        return bytes;
    }

    private static byte[] goldenOrNull(String name) throws IOException {
        try (InputStream in = WireCompatibilityTest.class.getResourceAsStream("/wire/golden/" + name + ".msgpack")) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Writes what this build encodes beside the build's output, and says where. */
    static String keep(String name, byte[] bytes) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "wire-golden-actual");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".msgpack");
        Files.write(file, bytes);
        String head = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32));
        return "this build's bytes (" + bytes.length + ", starting " + head + ") are in " + file;
    }
}
