package io.ftpipe.cli.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU caps for the device hosts' processes: one cgroup per host under the testbed's own group,
 * with a CFS quota per period. cgroup v1 ({@code cpu/.../cpu.cfs_quota_us}) and v2
 * ({@code .../cpu.max}) are both supported; which one is read from the mounted hierarchy.
 */
final class CpuQuotas {
    /**
     * Short, so that a quota slows every compute step rather than letting one run at full speed and
     * stalling the process between steps (what a slow CPU does, and what a device can measure); long
     * enough that a quota of a twenty-fifth of a core stays above the kernel's 1 ms minimum.
     */
    static final long PERIOD_MICROS = 25_000;

    private final Path group;
    private final boolean v2;

    private CpuQuotas(Path group, boolean v2) {
        this.group = group;
        this.v2 = v2;
    }

    /** The machine's cgroup hierarchy, or a clear error if it has no CPU controller to use. */
    static CpuQuotas ofSystem() throws IOException {
        return at(Path.of("/sys/fs/cgroup"));
    }

    static CpuQuotas at(Path root) throws IOException {
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            if (!Files.readString(root.resolve("cgroup.controllers")).contains("cpu")) {
                throw new IOException("cgroup v2 at " + root + " has no cpu controller");
            }
            return new CpuQuotas(root.resolve(Names.PREFIX), true);
        }
        if (Files.exists(root.resolve("cpu/cpu.cfs_quota_us"))) {
            return new CpuQuotas(root.resolve("cpu").resolve(Names.PREFIX), false);
        }
        throw new IOException("no cgroup cpu controller under " + root + " (neither v1 cpu/ nor v2 cpu.max)");
    }

    /** Makes host {@code host}'s group with a quota of {@code cpus} cores. */
    void create(int host, double cpus) throws IOException {
        Files.createDirectories(group);
        if (v2) {
            // The testbed's group hands the cpu controller down to its children.
            Files.writeString(group.getParent().resolve("cgroup.subtree_control"), "+cpu");
            Files.writeString(group.resolve("cgroup.subtree_control"), "+cpu");
        }
        Files.createDirectories(dir(host));
        set(host, cpus);
    }

    /** Changes the quota, also while the host's processes run; {@code cpus <= 0} lifts it. */
    void set(int host, double cpus) throws IOException {
        long quota = cpus <= 0 ? -1 : Math.max(1000, Math.round(cpus * PERIOD_MICROS));
        if (v2) {
            Files.writeString(dir(host).resolve("cpu.max"), (quota < 0 ? "max" : quota) + " " + PERIOD_MICROS);
        } else {
            Files.writeString(dir(host).resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
            Files.writeString(dir(host).resolve("cpu.cfs_quota_us"), String.valueOf(quota));
        }
    }

    /** The file a process writes its pid to, to join the host's group. */
    Path procs(int host) {
        return dir(host).resolve("cgroup.procs");
    }

    /**
     * The testbed's groups, children first; processes still in them are killed first (a group must
     * be empty to go, and a testbed's processes must not outlive it).
     */
    void removeAll() throws IOException {
        if (!Files.isDirectory(group)) {
            return;
        }
        killMembers();
        try (Stream<Path> all = Files.walk(group)) {
            for (Path d : all.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(d);
            }
        }
    }

    private void killMembers() throws IOException {
        List<ProcessHandle> members = new ArrayList<>();
        try (Stream<Path> procs = Files.walk(group)) {
            for (Path f : procs.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank())
                        .forEach(pid -> ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(members::add));
            }
        }
        members.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : members) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("process " + p.pid() + " of the testbed did not end: " + e);
            }
        }
    }

    /** Each host's group and its quota, a line each. */
    String describe() throws IOException {
        if (!Files.isDirectory(group)) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        try (Stream<Path> hosts = Files.list(group)) {
            for (Path h : hosts.filter(Files::isDirectory).sorted().toList()) {
                String quota = v2 ? Files.readString(h.resolve("cpu.max")).strip()
                        : Files.readString(h.resolve("cpu.cfs_quota_us")).strip() + " "
                        + Files.readString(h.resolve("cpu.cfs_period_us")).strip();
                b.append("cgroup ").append(h).append(": quota/period ").append(quota).append(" us\n");
            }
        }
        return b.toString();
    }

    private Path dir(int host) {
        return group.resolve(Names.cgroup(host));
    }
}
