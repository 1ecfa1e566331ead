package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.testbed.HostSpec;
import io.ftpipe.cli.testbed.Names;
import io.ftpipe.cli.testbed.Testbed;
import io.ftpipe.cli.testbed.TestbedStatus;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two device hosts as separate hosts: network namespaces of their own, links shaped both ways,
 * CPU quotas; a job of a few hundred micro-batches across them, with a rate and a quota changed
 * while it runs. CI runs as root; without root this test fails and says so.
 */
class TestbedIT {
    @TempDir
    Path work;

    @Test
    void aJobTrainsAcrossShapedHostsAndNothingIsLeftBehind() throws Exception {
        try (Testbed testbed = Testbed.up(List.of(new HostSpec(0.5, 50), new HostSpec(0.3, 20)));
             Cluster cluster = new Cluster(work, b -> b.bindAddress(testbed.brokerAddress()))) {
            List<String> ids = cluster.startDevicesOn(testbed, "tb-");
            testbed.limitCpus();
            for (int h = 0; h < ids.size(); h++) {
                long pid = cluster.pid(ids.get(h));
                String inNamespace = new String(new ProcessBuilder("ip", "netns", "pids", Names.namespace(h))
                        .start().getInputStream().readAllBytes());
                assertTrue(inNamespace.lines().anyMatch(p -> p.strip().equals(String.valueOf(pid))),
                        ids.get(h) + " (pid " + pid + ") runs in " + Names.namespace(h) + ": " + inNamespace);
                String cgroup = Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup"));
                assertTrue(cgroup.contains("/" + Names.PREFIX + "/" + Names.cgroup(h)), cgroup);
            }
            testbed.setRate(1, 30);
            testbed.setCpus(0, 0.4);
            // 256 micro-batches of 8 generated samples.
            JobReport r = cluster.run(new JobSpec("testbed", "mlp", 2, Schedule.Names.ONE_F_ONE_B, 8, 1, 1,
                    OptimizerConfig.adam(1e-3, 0), 1, 2048, 0, JobSpec.SPEED_BLIND));
            assertEquals(2048, r.epochs().get(0).samples());
            assertEquals(ids, r.stages().stream().map(JobReport.Stage::device).toList(), r.events() + "\n"
                    + Files.readString(work.resolve("devices/tb-1.log")));
            String shaped = TestbedStatus.describe();
            assertTrue(shaped.contains("rate 30Mbit"), "the changed rate is in place: " + shaped);
            cluster.killAll();
        }
        assertEquals("no testbed\n", TestbedStatus.describe(), "everything the testbed made is gone");
    }
}
