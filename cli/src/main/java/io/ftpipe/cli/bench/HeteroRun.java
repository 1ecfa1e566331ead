package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
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
 * One run of {@code bench hetero}: a fresh embedded broker with the central node, one device JVM
 * per slowdown, one job; records micro-batches finished over time and when layouts changed. For a
 * drifting scenario it tells one device, half-way through, to slow down.
 */
public final class HeteroRun {
    /** Heartbeats are the planner's measurements; twice a second keeps re-planning prompt. */
    private static final String HEARTBEAT_MILLIS = "500";

    /** What to run. */
    public record Setup(String model, int batchSize, int samples, String planner, List<Double> slowdowns,
                        int driftDevice, double driftSlowdown) {
    }

    private HeteroRun() {
    }

    public static RunResult run(Setup setup, Path work, Consumer<String> progress) throws Exception {
        Map<String, Map<String, String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < setup.slowdowns().size(); i++) {
            flags.put("d" + i, Map.of("--heartbeat-millis", HEARTBEAT_MILLIS, "--slowdown",
                    Double.toString(setup.slowdowns().get(i))));
        }
        try (BenchCluster cluster = BenchCluster.start(work, flags)) {
            List<String> ids = cluster.ids();
            Timeline timeline = new Timeline(setup.batchSize());
            List<Double> terms = new ArrayList<>();
            long driftAt = setup.samples() / setup.batchSize() / 2;
            double[] drift = {Double.NaN};
            long start = System.nanoTime();
            JobListener listener = new JobListener() {
                @Override
                public void microBatchDone(long done, double loss) {
                    double now = (System.nanoTime() - start) / 1e9;
                    timeline.add(now, done);
                    if (setup.driftDevice() >= 0 && done >= driftAt && Double.isNaN(drift[0])) {
                        drift[0] = now;
                        String id = ids.get(setup.driftDevice());
                        progress.accept(String.format("%.0fs: %s slows down to %.0fx", now, id, setup.driftSlowdown()));
                        cluster.central().emulate(id, setup.driftSlowdown());
                    }
                }

                @Override
                public void termStarted(JobReport.Term term) {
                    terms.add((System.nanoTime() - start) / 1e9);
                    progress.accept(String.format("%.0fs: term %d, %s, predicted %.0f samples/s", terms.get(
                            terms.size() - 1), term.term(), term.describeStages(), term.predictedSamplesPerSecond()));
                }
            };
            JobSpec spec = new JobSpec("hetero", setup.model(), setup.slowdowns().size(), Schedule.ONE_F_ONE_B_OVERLAP.wireName(), setup.batchSize(), 1,
                    1, OptimizerConfig.adam(1e-3, 0), 1, 0, setup.samples(), setup.planner());
            JobReport report = cluster.central().submit(spec, listener).get(60, TimeUnit.MINUTES);
            return new RunResult(report, timeline, List.copyOf(terms), drift[0]);
        }
    }
}
