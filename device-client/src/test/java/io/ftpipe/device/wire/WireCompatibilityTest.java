package io.ftpipe.device.wire;

import io.ftpipe.device.wire.UnitStateTensors.Layout;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.MessageCodec;
import io.ftpipe.zoo.stage.StageGraphsCodec;
import io.ftpipe.zoo.state.UnitStatePayloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wire bytes of one message of every type, against golden files written by the codec as it
 * was before protocol stopped depending on model-zoo (src/test/resources/wire/golden).
 *
 * <p>One change since is deliberate: the tensors inside unit states ({@code assign},
 * {@code weights}, {@code replica}) moved from the old string-keyed map to msgpack-numpy's layout,
 * the one every other tensor has. So messages without unit states must encode to exactly their
 * golden bytes; messages with unit states must encode to their golden bytes once every unit-state
 * tensor is replaced by its content ({@link UnitStateTensors}), the golden ones having been in the
 * old layout and the new ones in msgpack-numpy's; and every golden file, old layout included, must
 * still decode to its message. A failure writes what this build encodes to
 * {@code target/wire-golden-actual/}, to compare.
 *
 * <p>A later, deliberate addition: per-unit versions (exactly-once updates) in {@code assign},
 * {@code weights} and {@code replica}. They are left out of a message that does not use them, so
 * the older golden files still hold; the messages that carry them have golden files of their own,
 * written by this codec (unit states in msgpack-numpy's layout), which must match exactly. So do
 * those of {@code prepare} and {@code prepared}, added with re-plans prepared ahead.
 */
class WireCompatibilityTest {
    private static final Map<String, Message> MESSAGES = GoldenMessages.all();
    /** Golden files written with unit states in msgpack-numpy's layout already. */
    private static final Set<String> WRITTEN_SINCE_THE_LAYOUT_CHANGE = Set.of("assign-versions", "weights-versions",
            "replica-versions");

    @Test
    void everyMessageTypeHasAGoldenMessage() {
        Set<Class<?>> covered = MESSAGES.values().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(Message.class.getPermittedSubclasses()), covered);
    }

    @Test
    void messagesWithoutUnitStatesEncodeToTheGoldenBytes() throws IOException {
        List<String> different = new ArrayList<>();
        for (var e : MESSAGES.entrySet()) {
            byte[] actual = MessageCodec.encode(e.getValue());
            boolean exact = !carriesUnitStates(e.getValue()) || WRITTEN_SINCE_THE_LAYOUT_CHANGE.contains(e.getKey());
            if (exact && !Arrays.equals(golden(e.getKey()), actual)) {
                different.add(e.getKey() + ": " + keep(e.getKey(), actual));
            }
        }
        assertEquals(List.of(), different, "messages that encode differently from their golden files");
    }

    @Test
    void messagesWithUnitStatesDifferFromTheGoldenBytesInTheirTensorsLayoutOnly() throws IOException {
        for (var e : MESSAGES.entrySet()) {
            if (carriesUnitStates(e.getValue()) && !WRITTEN_SINCE_THE_LAYOUT_CHANGE.contains(e.getKey())) {
                byte[] actual = MessageCodec.encode(e.getValue());
                assertArrayEquals(UnitStateTensors.canonical(golden(e.getKey()), Layout.STRING_KEYS),
                        UnitStateTensors.canonical(actual, Layout.NUMPY),
                        () -> e.getKey() + " differs beyond its unit-state tensors; " + keep(e.getKey(), actual));
            }
        }
    }

    @Test
    void decodingAndReserializingGivesBackTheGoldenBytes() throws IOException {
        for (String name : MESSAGES.keySet()) {
            byte[] again = WRITTEN_SINCE_THE_LAYOUT_CHANGE.contains(name)
                    ? MessageCodec.encode(MessageCodec.decode(golden(name), Integer.MAX_VALUE))
                    : UnitStateTensors.roundTrip(golden(name));
            assertArrayEquals(golden(name), again, name);
        }
    }

    @Test
    void goldenBytesDecodeToTheMessages() throws IOException {
        for (var e : MESSAGES.entrySet()) {
            Message decoded = MessageCodec.decode(golden(e.getKey()), Integer.MAX_VALUE);
            Structural.assertSame(view(e.getValue()), view(decoded), e.getKey());
        }
    }

    private static boolean carriesUnitStates(Message m) {
        return m instanceof Message.Assign || m instanceof Message.Weights || m instanceof Message.Replica;
    }

    /** A message's fields by name, its unit states and stage graphs decoded, to compare as such. */
    private static Map<String, Object> view(Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : m.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(m);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(c.getName(), e);
            }
            out.put(c.getName(), switch (c.getName()) {
                case "units" -> UnitStatePayloads.decode(bytesList(v));
                case "held" -> ((List<?>) v).stream().map(r -> view((Message) r)).toList();
                case "graphs" -> StageGraphsCodec.decode((byte[]) v);
                default -> v;
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> bytesList(Object v) {
        return (List<byte[]>) v;
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = WireCompatibilityTest.class.getResourceAsStream("/wire/golden/" + name + ".msgpack")) {
            if (in == null) {
                fail("no golden file for " + name + "; " + keep(name, MessageCodec.encode(MESSAGES.get(name))));
            }
            return in.readAllBytes();
        }
    }

    /** Writes what this build encodes beside the build's output, and says where. */
    static String keep(String name, byte[] bytes) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "wire-golden-actual");
        Path file = dir.resolve(name + ".msgpack");
        try {
            Files.createDirectories(dir);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String head = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32));
        return "this build's bytes (" + bytes.length + ", starting " + head + ") are in " + file;
    }
}
