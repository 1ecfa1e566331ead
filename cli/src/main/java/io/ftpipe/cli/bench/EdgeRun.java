package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.testbed.HostSpec;
import io.ftpipe.cli.testbed.Testbed;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
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

    /** What to run. */
    public record Setup(String model, int batchSize, int samples, String planner, List<HostSpec> hosts,
                        EdgeScenario.Change change) {
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
            Timeline timeline = new Timeline(setup.batchSize());
            List<Double> terms = new ArrayList<>();
            long changeAt = setup.samples() / setup.batchSize() / 2;
            double[] changed = {Double.NaN};
            long start = System.nanoTime();
            JobListener listener = new JobListener() {
                @Override
                public void microBatchDone(long done, double loss) {
                    double now = (System.nanoTime() - start) / 1e9;
                    timeline.add(now, done);
                    if (setup.change() != null && done >= changeAt && Double.isNaN(changed[0])) {
                        changed[0] = now;
                        progress.accept(String.format("%.0fs: %s", now, setup.change().describe()));
                        change(testbed, setup.change());
                    }
                }

                @Override
                public void termStarted(JobReport.Term term) {
                    terms.add((System.nanoTime() - start) / 1e9);
                    progress.accept(String.format("%.0fs: term %d, %s, predicted %.0f samples/s",
                            terms.get(terms.size() - 1), term.term(), term.describeStages(),
                            term.predictedSamplesPerSecond()));
                }
            };
            JobSpec spec = new JobSpec("edge", setup.model(), setup.hosts().size(), Schedule.Names.ONE_F_ONE_B_OVERLAP,
                    setup.batchSize(), 1, 1, OptimizerConfig.adam(1e-3, 0), 1, 0, setup.samples(), setup.planner());
            JobReport report = cluster.central().submit(spec, listener).get(60, TimeUnit.MINUTES);
            return new RunResult(report, timeline, List.copyOf(terms), changed[0]);
        }
    }

    private static void change(Testbed testbed, EdgeScenario.Change c) {
        try {
            HostSpec h = testbed.host(c.device());
            if (c.cpu()) {
                testbed.setCpus(c.device(), h.cpus() / c.factor());
            } else {
                testbed.setRate(c.device(), h.mbit() / c.factor());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
