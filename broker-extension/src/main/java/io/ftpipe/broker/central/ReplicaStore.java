package io.ftpipe.broker.central;

import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStateCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The central node's replicas of each partition unit's state, kept on disk so that a restarted
 * central node can still recover from a device failure. By default it keeps each unit's freshest
 * replica, one file per unit, {@code unit-<n>.replica}. A store that keeps rounds
 * (synchronous jobs, which roll every unit back to one step) keeps each unit's replicas from the
 * older of its two newest <em>complete rounds</em> on (iterations of which it holds a replica of
 * every unit), one file per unit and iteration, {@code unit-<n>@<iteration>.replica}. Each file is
 * <pre>
 *   "FTPR" | version int (1) | unit int | iteration long | term long | payload length int
 *   | UnitStateCodec payload | CRC32C int of everything before it
 * </pre>
 * A file is replaced by {@link AtomicFile}, so a kill leaves either the old replica or the new one;
 * the checksum catches what the disk got wrong anyway.
 */
final class ReplicaStore {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaStore.class);
    private static final byte[] MAGIC = {'F', 'T', 'P', 'R'};
    private static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + Integer.BYTES * 3 + Long.BYTES * 2;
    private static final String SUFFIX = ".replica";
    private static final Pattern NAME = Pattern.compile("unit-(\\d+)(@\\d+)?" + Pattern.quote(SUFFIX));

    /**
     * A unit's state as replicated, and how far it had trained.
     *
     * @param iteration micro-batches whose updates the state includes (last completed + 1)
     */
    record Replica(int unit, long iteration, long term, UnitState state) {
        Replica {
            Objects.requireNonNull(state, "state");
            if (unit < 0 || state.unit() != unit) {
                throw new IllegalArgumentException("replica of unit " + unit + " holds unit " + state.unit());
            }
        }

        /** Ties in iteration go to the newer record of the same term, so a resent replica still lands. */
        boolean supersedes(Replica old) {
            return iteration > old.iteration || (iteration == old.iteration && term >= old.term);
        }
    }

    private final Path dir;
    /** The model's units, when the store keeps rounds; 0 when it keeps only each unit's newest. */
    private final int roundUnits;
    private final Map<Integer, TreeMap<Long, Replica>> replicas = new HashMap<>();
    private long bytesWritten;
    private int corrupt;

    ReplicaStore(Path dir) {
        this(dir, 0);
    }

    private ReplicaStore(Path dir, int roundUnits) {
        this.dir = dir;
        this.roundUnits = roundUnits;
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    load(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open replica store " + dir, e);
        }
        if (roundUnits > 0) {
            prune();
        }
    }

    /**
     * The store in {@code dir}, with what it held.
     *
     * @param roundUnits the model's units, for a store that keeps rounds; 0 for one that keeps each unit's newest
     */
    static ReplicaStore open(Path dir, int roundUnits) {
        if (roundUnits < 0) {
            throw new IllegalArgumentException("a model has no " + roundUnits + " units");
        }
        return new ReplicaStore(dir, roundUnits);
    }

    /** A store for a job that starts from scratch: replicas of an earlier job of the same id are deleted. */
    static ReplicaStore fresh(Path dir, int roundUnits) {
        try {
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path f : files) {
                        Files.delete(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear replica store " + dir, e);
        }
        return open(dir, roundUnits);
    }

    /** @return whether the replica was kept: not when the store has a newer one that replaces it */
    synchronized boolean put(Replica r) {
        TreeMap<Long, Replica> held = replicas.computeIfAbsent(r.unit(), u -> new TreeMap<>());
        Replica same = held.get(r.iteration());
        boolean kept = roundUnits > 0
                ? (same == null ? r.iteration() >= keptFrom() : r.supersedes(same))
                : held.isEmpty() || r.supersedes(held.lastEntry().getValue());
        if (!kept) {
            return false;
        }
        byte[] bytes = serialise(r);
        Path target = dir.resolve(roundUnits > 0 ? fileName(r.unit(), r.iteration()) : fileName(r.unit()));
        try {
            AtomicFile.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write replica of unit " + r.unit() + " to " + target, e);
        }
        if (roundUnits == 0) {
            held.clear();
        }
        held.put(r.iteration(), r);
        bytesWritten += bytes.length;
        if (roundUnits > 0) {
            prune();
        }
        return true;
    }

    /** The unit's newest replica. */
    synchronized Optional<Replica> get(int unit) {
        TreeMap<Long, Replica> held = replicas.get(unit);
        return held == null || held.isEmpty() ? Optional.empty() : Optional.of(held.lastEntry().getValue());
    }

    /** Each unit's newest replica, sorted by unit. */
    synchronized Map<Integer, Replica> all() {
        Map<Integer, Replica> newest = new TreeMap<>();
        replicas.forEach((u, held) -> {
            if (!held.isEmpty()) {
                newest.put(u, held.lastEntry().getValue());
            }
        });
        return newest;
    }

    /** Every replica held, by unit and iteration (a copy). */
    synchronized Map<Integer, NavigableMap<Long, Replica>> history() {
        Map<Integer, NavigableMap<Long, Replica>> copy = new TreeMap<>();
        replicas.forEach((u, held) -> copy.put(u, new TreeMap<>(held)));
        return copy;
    }

    /**
     * Forgets the replicas newer than {@code iteration}: the job rolled back to it, and what was
     * trained after it will be trained again.
     */
    synchronized void discardAbove(long iteration) {
        drop(held -> held.tailMap(iteration, false));
    }

    /**
     * The oldest of the two newest complete rounds (iterations of which the store holds every
     * unit's replica); -1 if there is none. Replicas older than it are never rolled back to, and
     * keeping two rounds leaves one should a file of the newest turn out damaged.
     */
    private long keptFrom() {
        TreeMap<Long, Replica> first = replicas.get(0);
        if (first == null) {
            return -1;
        }
        int found = 0;
        long round = -1;
        for (long v : first.descendingKeySet()) {
            boolean complete = true;
            for (int u = 1; u < roundUnits && complete; u++) {
                TreeMap<Long, Replica> held = replicas.get(u);
                complete = held != null && held.containsKey(v);
            }
            if (complete) {
                round = v;
                if (++found == 2) {
                    break;
                }
            }
        }
        return round;
    }

    /** Drops what is older than the two newest complete rounds. */
    private void prune() {
        long from = keptFrom();
        drop(held -> held.headMap(from, false));
    }

    /** Deletes, from each unit's replicas, those in {@code range} of them. */
    private void drop(Function<TreeMap<Long, Replica>, Map<Long, Replica>> range) {
        for (TreeMap<Long, Replica> held : replicas.values()) {
            for (Replica r : List.copyOf(range.apply(held).values())) {
                delete(r);
                held.remove(r.iteration());
            }
        }
    }

    private void delete(Replica r) {
        Path f = dir.resolve(roundUnits > 0 ? fileName(r.unit(), r.iteration()) : fileName(r.unit()));
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("cannot delete replica file {}: {}", f, e.toString());
        }
    }

    synchronized long bytesWritten() {
        return bytesWritten;
    }

    /** Files skipped at load because they were not a valid replica. */
    synchronized int corrupt() {
        return corrupt;
    }

    static String fileName(int unit) {
        return "unit-" + unit + SUFFIX;
    }

    static String fileName(int unit, long iteration) {
        return "unit-" + unit + "@" + iteration + SUFFIX;
    }

    private void load(Path f) {
        String name = f.getFileName().toString();
        if (name.endsWith(AtomicFile.TEMP_SUFFIX)) {
            // A write the process did not live to rename; the previous replica (if any) is intact.
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.debug("cannot delete leftover temp file {}", f, e);
            }
            return;
        }
        Matcher m = NAME.matcher(name);
        if (!m.matches() || !Files.isRegularFile(f)) {
            return;
        }
        try {
            Replica r = parse(Files.readAllBytes(f), Integer.parseInt(m.group(1)));
            if (m.group(2) != null && Long.parseLong(m.group(2).substring(1)) != r.iteration()) {
                throw new IllegalArgumentException("header says iteration " + r.iteration() + " but file name says "
                        + m.group(2).substring(1));
            }
            TreeMap<Long, Replica> held = replicas.computeIfAbsent(r.unit(), u -> new TreeMap<>());
            if (roundUnits == 0 && !held.isEmpty()) {
                // A store that switched from rounds keeps the newest; the others stay on disk until a fresh store.
                if (!r.supersedes(held.lastEntry().getValue())) {
                    return;
                }
                held.clear();
            }
            held.put(r.iteration(), r);
        } catch (IOException | RuntimeException e) {
            corrupt++;
            LOG.warn("skipping replica file " + f + ": " + (e.getMessage() != null ? e.getMessage() : e));
        }
    }

    private static byte[] serialise(Replica r) {
        byte[] payload = UnitStateCodec.encode(r.state());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + payload.length + Integer.BYTES);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(r.unit());
            out.writeLong(r.iteration());
            out.writeLong(r.term());
            out.writeInt(payload.length);
            out.write(payload);
            byte[] body = bytes.toByteArray();
            out.writeInt(crc(body, body.length));
        } catch (IOException e) {
            throw new IllegalStateException("writing into memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException naming what is wrong with the file */
    private static Replica parse(byte[] bytes, int fileUnit) {
        if (bytes.length < HEADER + Integer.BYTES) {
            throw new IllegalArgumentException("truncated: " + bytes.length + " bytes is shorter than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a replica file (bad magic)");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported format version " + version);
        }
        int unit = b.getInt();
        long iteration = b.getLong();
        long term = b.getLong();
        int length = b.getInt();
        if (length < 0 || length != bytes.length - HEADER - Integer.BYTES) {
            throw new IllegalArgumentException("truncated or padded: payload length " + length + " but "
                    + (bytes.length - HEADER - Integer.BYTES) + " bytes present");
        }
        int stored = ByteBuffer.wrap(bytes, HEADER + length, Integer.BYTES).getInt();
        if (stored != crc(bytes, HEADER + length)) {
            throw new IllegalArgumentException("checksum mismatch");
        }
        // A correct checksum over the wrong unit would silently restore one unit's weights into another.
        if (unit != fileUnit) {
            throw new IllegalArgumentException("header says unit " + unit + " but file name says " + fileUnit);
        }
        UnitState state = UnitStateCodec.decode(Arrays.copyOfRange(bytes, HEADER, HEADER + length));
        if (state.unit() != unit) {
            throw new IllegalArgumentException("header says unit " + unit + " but payload holds unit " + state.unit());
        }
        return new Replica(unit, iteration, term, state);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
