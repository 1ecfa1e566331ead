package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.testbed.HostSpec;
import io.ftpipe.cli.testbed.Testbed;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of {@code bench edge}: a fresh testbed of device hosts, the broker with the central node
 * listening on the testbed's broker side, one device JVM per host, one job. Records micro-batches
 * finished over time and when layouts changed; half-way it makes the scenario's change to a host,
 * which the central node learns of only through what the devices measure.
 */
public final class EdgeRun {
    private static final String HEARTBEAT_MILLIS = "500";

    /** What to run; {@code wireDtype} as {@link JobSpec#wireDtype}. */
    public record Setup(String model, int batchSize, int samples, String planner, List<HostSpec> hosts,
                        EdgeScenario.Change change, String wireDtype) {
    }

    private EdgeRun() {
    }

    public static RunResult run(Setup setup, Path work, Consumer<String> progress) throws Exception {
        Map<String, Map<String, String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < setup.hosts().size(); i++) {
            flags.put("d" + i, Map.of("--heartbeat-millis", HEARTBEAT_MILLIS));
        }
        try (Testbed testbed = Testbed.up(setup.hosts());
             BenchCluster cluster = BenchCluster.start(work, flags, testbed.brokerAddress(),
                     h -> command -> testbed.onHost(h, command))) {
            testbed.limitCpus();
            RunRecorder recorder = new RunRecorder(setup.batchSize(), setup.change() == null ? -1
                    : setup.samples() / setup.batchSize() / 2,
                    (at, layout) -> change(testbed, setup.change(), layout), progress);
            JobSpec spec = new JobSpec("edge", setup.model(), setup.hosts().size(), Schedule.Names.ONE_F_ONE_B_OVERLAP,
                    setup.batchSize(), 1, 1, OptimizerConfig.adam(1e-3, 0), 1, 0, setup.samples(), setup.planner(),
                    JobSpec.Replication.DEFAULT, JobSpec.Sources.DEFAULT, setup.wireDtype());
            return recorder.result(cluster.central().submit(spec, recorder).get(60, TimeUnit.MINUTES));
        }
    }

    /** Makes the change on the host of the layout's first stage (device {@code d<i>} runs on host i). */
    private static String change(Testbed testbed, EdgeScenario.Change c, JobReport.Term layout) {
        String device = layout == null ? "d0" : layout.stages().get(0).device();
        int host = Integer.parseInt(device.substring(1));
        try {
            HostSpec h = testbed.host(host);
            if (c.cpu()) {
                testbed.setCpus(host, h.cpus() / c.factor());
            } else {
                testbed.setRate(host, h.mbit() / c.factor());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c.describe(device);
    }
}
