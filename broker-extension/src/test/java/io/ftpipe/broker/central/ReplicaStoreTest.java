package io.ftpipe.broker.central;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ftpipe.broker.central.ReplicaStore.Replica;
import io.ftpipe.zoo.optim.ParamState;
import io.ftpipe.zoo.state.UnitState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replicas survive a restart of the central node; damaged files are skipped, never trusted. */
class ReplicaStoreTest {
    @TempDir
    Path dir;

    /** Logback is the slf4j backend the broker runs with (HiveMQ's), and so the tests'. */
    private final Logger log = (Logger) LoggerFactory.getLogger(ReplicaStore.class);
    private final ListAppender<ILoggingEvent> capture = new ListAppender<>();
    private final List<ILoggingEvent> warnings = capture.list;

    @BeforeEach
    void captureWarnings() {
        ThresholdFilter warnOrWorse = new ThresholdFilter();
        warnOrWorse.setLevel(Level.WARN.levelStr);
        warnOrWorse.start();
        capture.addFilter(warnOrWorse);
        capture.start();
        log.addAppender(capture);
    }

    @AfterEach
    void releaseWarnings() {
        log.detachAppender(capture);
        capture.stop();
    }

    @Test
    void putThenGetReturnsEqualValuesAndOptimizerState() {
        ReplicaStore store = new ReplicaStore(dir);
        Replica r = replica(3, 10, 1, 0.5f);
        assertTrue(store.put(r));
        assertStateEquals(r, store.get(3).orElseThrow());
        assertTrue(store.get(4).isEmpty());
        assertEquals(List.of(3), List.copyOf(store.all().keySet()));
    }

    @Test
    void newerIterationReplacesOlderAndOlderIsRefused() {
        ReplicaStore store = new ReplicaStore(dir);
        assertTrue(store.put(replica(0, 5, 1, 1f)));
        assertTrue(store.put(replica(0, 8, 1, 2f)));
        assertFalse(store.put(replica(0, 7, 9, 3f)), "lower iteration, whatever its term");
        assertFalse(store.put(replica(0, 8, 0, 4f)), "same iteration, lower term");
        assertTrue(store.put(replica(0, 8, 2, 5f)), "same iteration, higher term");
        assertTrue(store.put(replica(0, 8, 2, 6f)), "same iteration, same term");
        Replica kept = store.get(0).orElseThrow();
        assertEquals(8, kept.iteration());
        assertEquals(2, kept.term());
        assertEquals(6f, kept.state().values().get("u0.w")[0]);
    }

    @Test
    void aNewStoreOnTheSameDirectoryReloadsTheReplicas() {
        ReplicaStore first = new ReplicaStore(dir);
        Replica a = replica(2, 4, 1, 1f);
        Replica b = replica(0, 6, 1, 2f);
        first.put(a);
        first.put(b);
        first.put(replica(0, 7, 2, 3f));

        ReplicaStore restarted = new ReplicaStore(dir);
        assertEquals(List.of(0, 2), List.copyOf(restarted.all().keySet()));
        assertStateEquals(a, restarted.get(2).orElseThrow());
        assertEquals(7, restarted.get(0).orElseThrow().iteration());
        assertEquals(2, restarted.get(0).orElseThrow().term());
        assertEquals(0, restarted.corrupt());
        assertFalse(restarted.put(b), "the reloaded replica still guards against stale ones");
    }

    @Test
    void aFlippedByteSkipsThatUnitOnlyAndIsReported() throws Exception {
        ReplicaStore store = new ReplicaStore(dir);
        for (int unit = 0; unit < 3; unit++) {
            store.put(replica(unit, 1, 1, unit));
        }
        Path damaged = dir.resolve(ReplicaStore.fileName(1));
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(damaged, bytes);

        ReplicaStore restarted = new ReplicaStore(dir);
        assertEquals(1, restarted.corrupt());
        assertEquals(List.of(0, 2), List.copyOf(restarted.all().keySet()));
        assertTrue(warnings.stream().anyMatch(w -> w.getFormattedMessage().contains(damaged.toString())
                && w.getFormattedMessage().contains("checksum")), "warning names the file and the reason: " + warnings);
    }

    @Test
    void aTruncatedFileIsSkipped() throws Exception {
        ReplicaStore store = new ReplicaStore(dir);
        store.put(replica(0, 1, 1, 1f));
        store.put(replica(1, 1, 1, 1f));
        Path cut = dir.resolve(ReplicaStore.fileName(0));
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 7));
        Files.write(dir.resolve(ReplicaStore.fileName(5)), new byte[]{'F', 'T'});

        ReplicaStore restarted = new ReplicaStore(dir);
        assertEquals(2, restarted.corrupt());
        assertEquals(List.of(1), List.copyOf(restarted.all().keySet()));
    }

    @Test
    void aFileRenamedToAnotherUnitIsSkipped() throws Exception {
        ReplicaStore store = new ReplicaStore(dir);
        store.put(replica(1, 1, 1, 1f));
        Files.copy(dir.resolve(ReplicaStore.fileName(1)), dir.resolve(ReplicaStore.fileName(2)));

        ReplicaStore restarted = new ReplicaStore(dir);
        assertEquals(1, restarted.corrupt());
        assertEquals(List.of(1), List.copyOf(restarted.all().keySet()));
    }

    @Test
    void aLeftoverTempFileIsIgnoredAndRemoved() throws Exception {
        ReplicaStore store = new ReplicaStore(dir);
        store.put(replica(0, 3, 1, 1f));
        Path temp = dir.resolve(ReplicaStore.fileName(0) + ".12345.tmp");
        Files.write(temp, new byte[]{1, 2, 3});

        ReplicaStore restarted = new ReplicaStore(dir);
        assertEquals(0, restarted.corrupt());
        assertEquals(3, restarted.get(0).orElseThrow().iteration());
        assertFalse(Files.exists(temp));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(ReplicaStore.fileName(0))), files.toList());
        }
    }

    @Test
    void bytesWrittenGrowsByTheFileSize() throws Exception {
        ReplicaStore store = new ReplicaStore(dir);
        assertEquals(0, store.bytesWritten());
        store.put(replica(0, 1, 1, 1f));
        long first = Files.size(dir.resolve(ReplicaStore.fileName(0)));
        assertEquals(first, store.bytesWritten());
        store.put(replica(1, 1, 1, 1f));
        long second = Files.size(dir.resolve(ReplicaStore.fileName(1)));
        assertEquals(first + second, store.bytesWritten());
        store.put(replica(0, 0, 1, 1f));
        assertEquals(first + second, store.bytesWritten(), "a refused replica writes nothing");
    }

    /** A unit with two parameters, one carrying Adam-like state (two moment slots), one never stepped. */
    @Test
    void aStoreWithRoundsKeepsEveryReplicaFromItsTwoNewestCompleteRoundsOn() throws Exception {
        ReplicaStore store = ReplicaStore.open(dir, 2);
        for (long round : new long[]{0, 8, 16}) {
            store.put(replica(0, round, 1, round));
            store.put(replica(1, round, 1, round));
        }
        store.put(replica(1, 24, 1, 3f));
        assertEquals(Map.of(0, List.of(8L, 16L), 1, List.of(8L, 16L, 24L)), iterations(store));
        assertFalse(store.put(replica(0, 4, 1, 9f)), "older than the two rounds kept");
        assertTrue(store.put(replica(0, 12, 1, 3f)), "newer than the rounds, though older than unit 0's newest");
        assertEquals(24, store.get(1).orElseThrow().iteration());

        ReplicaStore restarted = ReplicaStore.open(dir, 2);
        assertEquals(Map.of(0, List.of(8L, 12L, 16L), 1, List.of(8L, 16L, 24L)), iterations(restarted));
        try (var files = Files.list(dir)) {
            assertEquals(6, files.count(), "one file per unit and iteration, the oldest round's deleted");
        }
        restarted.discardAbove(8);
        assertEquals(Map.of(0, List.of(8L), 1, List.of(8L)), iterations(restarted));
        assertEquals(Map.of(0, List.of(8L), 1, List.of(8L)), iterations(ReplicaStore.open(dir, 2)));
    }

    private static Map<Integer, List<Long>> iterations(ReplicaStore store) {
        Map<Integer, List<Long>> out = new java.util.TreeMap<>();
        store.history().forEach((u, held) -> out.put(u, List.copyOf(held.keySet())));
        return out;
    }

    private static Replica replica(int unit, long iteration, long term, float seed) {
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("u" + unit + ".w", new float[]{seed, seed + 1, -seed, 0.25f});
        values.put("u" + unit + ".b", new float[]{seed * 2});
        Map<String, ParamState> optimizer = new LinkedHashMap<>();
        optimizer.put("u" + unit + ".w", new ParamState(iteration,
                List.of(new float[]{0.1f, 0.2f, 0.3f, seed}, new float[]{1e-3f, 2e-3f, 3e-3f, seed / 10})));
        return new Replica(unit, iteration, term, new UnitState(unit, values, optimizer));
    }

    private static void assertStateEquals(Replica expected, Replica actual) {
        assertEquals(expected.unit(), actual.unit());
        assertEquals(expected.iteration(), actual.iteration());
        assertEquals(expected.term(), actual.term());
        UnitState e = expected.state();
        UnitState a = actual.state();
        assertEquals(e.unit(), a.unit());
        assertEquals(e.values().keySet(), a.values().keySet());
        e.values().forEach((name, v) -> assertArrayEquals(v, a.values().get(name), name));
        assertEquals(e.optimizer().keySet(), a.optimizer().keySet());
        e.optimizer().forEach((name, s) -> {
            ParamState got = a.optimizer().get(name);
            assertEquals(s.step(), got.step(), name);
            assertEquals(s.slots().size(), got.slots().size(), name);
            for (int i = 0; i < s.slots().size(); i++) {
                assertArrayEquals(s.slots().get(i), got.slots().get(i), name + " slot " + i);
            }
        });
    }
}
