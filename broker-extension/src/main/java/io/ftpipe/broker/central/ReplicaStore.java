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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The central node's freshest replica of each partition unit's state, kept on disk so that a
 * restarted central node can still recover from a device failure. One file per unit,
 * {@code unit-<n>.replica}:
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
        private static final Pattern NAME = Pattern.compile("unit-(\\d+)" + Pattern.quote(SUFFIX));

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
    private final Map<Integer, Replica> replicas = new HashMap<>();
    private long bytesWritten;
    private int corrupt;

    ReplicaStore(Path dir) {
        this.dir = dir;
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
    }

    /** A store for a job that starts from scratch: replicas of an earlier job of the same id are deleted. */
    static ReplicaStore fresh(Path dir) {
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
        return new ReplicaStore(dir);
    }

    synchronized boolean put(Replica r) {
        Replica old = replicas.get(r.unit());
        if (old != null && !r.supersedes(old)) {
            return false;
        }
        byte[] bytes = serialise(r);
        Path target = dir.resolve(fileName(r.unit()));
        try {
            AtomicFile.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write replica of unit " + r.unit() + " to " + target, e);
        }
        replicas.put(r.unit(), r);
        bytesWritten += bytes.length;
        return true;
    }

    synchronized Optional<Replica> get(int unit) {
        return Optional.ofNullable(replicas.get(unit));
    }

    /** A copy, sorted by unit. */
    synchronized Map<Integer, Replica> all() {
        return new TreeMap<>(replicas);
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
            replicas.put(r.unit(), r);
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
