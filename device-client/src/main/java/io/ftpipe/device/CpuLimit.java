package io.ftpipe.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The cores this process may use under its cgroup's CPU quota (a gateway's container limit, a
 * testbed host's quota), the tightest of its cgroup and their parents; infinite without one.
 * cgroup v2 ({@code cpu.max}) and v1 ({@code cpu.cfs_quota_us} over {@code cpu.cfs_period_us}).
 * Read again at most every {@link #REREAD_NANOS}: a quota may change while the device runs.
 */
final class CpuLimit {
    static final long REREAD_NANOS = 1_000_000_000L;

    private final Path mount;
    /** A file's text, or null where it is missing or unreadable. */
    private final Function<Path, String> files;
    private volatile double cores = Double.POSITIVE_INFINITY;
    private volatile long readAt;
    private volatile boolean read;

    CpuLimit() {
        this(Path.of("/sys/fs/cgroup"), CpuLimit::readOrNull);
    }

    CpuLimit(Path mount, Function<Path, String> files) {
        this.mount = mount;
        this.files = files;
    }

    /** The cores allowed now; infinite where no quota applies or none can be read. */
    double cores() {
        long now = System.nanoTime();
        if (!read || now - readAt > REREAD_NANOS) {
            cores = readCores();
            readAt = now;
            read = true;
        }
        return cores;
    }

    private double readCores() {
        String self = files.apply(Path.of("/proc/self/cgroup"));
        if (self == null) {
            return Double.POSITIVE_INFINITY;
        }
        double limit = Double.POSITIVE_INFINITY;
        for (String line : self.strip().split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                limit = Math.min(limit, walk(mount, f[2], "cpu.max", null));
            } else if (List.of(f[1].split(",")).contains("cpu")) {
                limit = Math.min(limit, walk(mount.resolve("cpu"), f[2], "cpu.cfs_quota_us", "cpu.cfs_period_us"));
            }
        }
        return limit;
    }

    /** The tightest quota from the cgroup at {@code path} up to the root of its hierarchy. */
    private double walk(Path root, String path, String quotaFile, String periodFile) {
        double limit = Double.POSITIVE_INFINITY;
        Path dir = root.resolve(path.replaceFirst("^/+", ""));
        while (dir != null && dir.startsWith(root)) {
            limit = Math.min(limit, periodFile == null ? v2(dir.resolve(quotaFile))
                    : v1(dir.resolve(quotaFile), dir.resolve(periodFile)));
            dir = dir.equals(root) ? null : dir.getParent();
        }
        return limit;
    }

    /** {@code cpu.max}: "QUOTA PERIOD" or "max PERIOD". */
    private double v2(Path cpuMax) {
        String s = files.apply(cpuMax);
        if (s == null) {
            return Double.POSITIVE_INFINITY;
        }
        String[] f = s.strip().split("\\s+");
        return f.length == 2 && !f[0].equals("max") ? ratio(f[0], f[1]) : Double.POSITIVE_INFINITY;
    }

    /** {@code cpu.cfs_quota_us} (-1: none) over {@code cpu.cfs_period_us}. */
    private double v1(Path quota, Path period) {
        String q = files.apply(quota);
        String p = files.apply(period);
        return q == null || p == null ? Double.POSITIVE_INFINITY : ratio(q.strip(), p.strip());
    }

    private static double ratio(String quota, String period) {
        try {
            double q = Double.parseDouble(quota);
            double p = Double.parseDouble(period);
            return q > 0 && p > 0 ? q / p : Double.POSITIVE_INFINITY;
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    private static String readOrNull(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
