package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.file.Path;
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
            List<String> ids = cluster.devices().ids();
            RunRecorder recorder = new RunRecorder(setup.batchSize(), setup.driftDevice() < 0 ? -1
                    : setup.samples() / setup.batchSize() / 2, (at, layout) -> {
                        String id = ids.get(setup.driftDevice());
                        cluster.central().emulate(id, setup.driftSlowdown());
                        return id + " slows down to " + setup.driftSlowdown() + "x";
                    }, progress);
            JobSpec spec = new JobSpec("hetero", setup.model(), setup.slowdowns().size(), Schedule.ONE_F_ONE_B_OVERLAP.wireName(), setup.batchSize(), 1,
                    1, OptimizerConfig.adam(1e-3, 0), 1, 0, setup.samples(), setup.planner());
            return recorder.result(cluster.central().submit(spec, recorder).get(60, TimeUnit.MINUTES));
        }
    }
}
