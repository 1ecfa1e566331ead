package io.ftpipe.cli.testbed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** On folders shaped like the two cgroup hierarchies (a real one is exercised by TestbedIT). */
class CpuQuotasTest {
    @TempDir
    Path root;

    @Test
    void version1WritesQuotaAndPeriod() throws Exception {
        Files.createDirectories(root.resolve("cpu"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1");
        CpuQuotas q = CpuQuotas.at(root);
        q.create(0, 0.4);
        assertEquals("10000", Files.readString(root.resolve("cpu/ftpb/h0/cpu.cfs_quota_us")));
        assertEquals("25000", Files.readString(root.resolve("cpu/ftpb/h0/cpu.cfs_period_us")));
        q.set(0, 0.042);
        assertEquals("1050", Files.readString(root.resolve("cpu/ftpb/h0/cpu.cfs_quota_us")));
        assertEquals(root.resolve("cpu/ftpb/h0/cgroup.procs"), q.procs(0));
        q.set(0, 0);
        assertEquals("-1", Files.readString(root.resolve("cpu/ftpb/h0/cpu.cfs_quota_us")), "no limit");
    }

    @Test
    void version2WritesCpuMaxAndHandsTheControllerDown() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids");
        CpuQuotas q = CpuQuotas.at(root);
        q.create(1, 0.5);
        assertEquals("12500 25000", Files.readString(root.resolve("ftpb/h1/cpu.max")));
        assertEquals("+cpu", Files.readString(root.resolve("cgroup.subtree_control")));
        assertEquals("+cpu", Files.readString(root.resolve("ftpb/cgroup.subtree_control")));
        q.set(1, 0);
        assertEquals("max 25000", Files.readString(root.resolve("ftpb/h1/cpu.max")));
    }

    @Test
    void noCpuControllerIsAClearError() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "memory pids");
        assertThrows(java.io.IOException.class, () -> CpuQuotas.at(root));
        Files.delete(root.resolve("cgroup.controllers"));
        assertThrows(java.io.IOException.class, () -> CpuQuotas.at(root));
    }

    @Test
    void removingTakesTheGroupsAway() throws Exception {
        Files.createDirectories(root.resolve("cpu"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1");
        CpuQuotas q = CpuQuotas.at(root);
        q.create(0, 1);
        // A real cgroup folder's control files go with it; plain files here must go first.
        try (var files = Files.walk(root.resolve("cpu/ftpb"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        q.removeAll();
        assertFalse(Files.exists(root.resolve("cpu/ftpb")));
    }
}
