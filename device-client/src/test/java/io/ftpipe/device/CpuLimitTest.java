package io.ftpipe.device;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CpuLimitTest {
    private static final Path MOUNT = Path.of("/sys/fs/cgroup");

    private static double cores(Map<String, String> files) {
        return new CpuLimit(MOUNT, p -> files.get(p.toString())).cores();
    }

    @Test
    void cgroupV1QuotaOverPeriod() {
        assertEquals(0.3, cores(Map.of("/proc/self/cgroup", "2:cpuacct:/\n1:cpu,cpuacct:/ftpb/h1\n",
                "/sys/fs/cgroup/cpu/ftpb/h1/cpu.cfs_quota_us", "7500\n",
                "/sys/fs/cgroup/cpu/ftpb/h1/cpu.cfs_period_us", "25000\n")), 1e-9);
    }

    @Test
    void cgroupV2CpuMaxAndTheTightestAncestor() {
        assertEquals(0.5, cores(Map.of("/proc/self/cgroup", "0::/gateways/g1\n",
                "/sys/fs/cgroup/gateways/g1/cpu.max", "150000 100000\n",
                "/sys/fs/cgroup/gateways/cpu.max", "50000 100000\n",
                "/sys/fs/cgroup/cpu.max", "max 100000\n")), 1e-9);
    }

    @Test
    void noQuotaOrNothingReadableIsNoLimit() {
        assertEquals(Double.POSITIVE_INFINITY, cores(Map.of("/proc/self/cgroup", "1:cpu:/\n",
                "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n", "/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n")));
        assertEquals(Double.POSITIVE_INFINITY, cores(Map.of("/proc/self/cgroup", "0::/x\n",
                "/sys/fs/cgroup/x/cpu.max", "garbage")));
        assertEquals(Double.POSITIVE_INFINITY, cores(Map.of()));
    }
}
