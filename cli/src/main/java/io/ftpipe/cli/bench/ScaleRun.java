package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.mqtt.BrokerMetrics;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of {@code bench scale}: a fresh embedded broker with the central node, {@code jobs x
 * devicesPerJob} device JVMs, and that many jobs submitted at once, each asking for
 * {@code devicesPerJob} devices. Measures each job, the broker's message counts and the CPU of the
 * broker's JVM (and of the central node's threads in it) over the jobs' time.
 */
public final class ScaleRun {
    /** Detection needs no hurry here; a slower beat leaves the broker more for the jobs. */
    private static final String HEARTBEAT_MILLIS = "1000";

    /** What to run. */
    public record Setup(String model, int jobs, int devicesPerJob, int batchSize, int samples, long seed) {
    }

    /** One job: its report, or why it failed (report null), and what it did over time. */
    public record Job(String id, RunResult result, String error) {
    }

    /**
     * @param messages      PUBLISH packets through the broker (in and out) during the jobs
     * @param devicesCpu    CPU seconds of the device JVMs, from their start to the jobs' end
     * @param startupSeconds from the first device JVM's start until every device had joined
     */
    public record Result(List<Job> jobs, CpuMeter.Usage cpu, long messages, long bytes, double devicesCpu,
                         double startupSeconds) {
    }

    private ScaleRun() {
    }

    public static Result run(Setup setup, Path work, Consumer<String> progress) throws Exception {
        Map<String, Map<String, String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < setup.jobs() * setup.devicesPerJob(); i++) {
            // One compute thread each: sixteen devices on a small machine would otherwise fight for its cores.
            flags.put(String.format("d%02d", i), Map.of("--heartbeat-millis", HEARTBEAT_MILLIS, "--threads", "1"));
        }
        long launched = System.nanoTime();
        try (BenchCluster cluster = BenchCluster.start(work, flags)) {
            double startup = (System.nanoTime() - launched) / 1e9;
            progress.accept(String.format("%d devices joined in %.0f s", flags.size(), startup));
            Map<String, Long> before = BrokerMetrics.snapshot();
            List<CompletableFuture<JobReport>> runs = new ArrayList<>();
            List<RunRecorder> recorders = new ArrayList<>();
            try (CpuMeter cpu = new CpuMeter()) {
                for (int j = 0; j < setup.jobs(); j++) {
                    String id = "scale-" + j;
                    RunRecorder recorder = new RunRecorder(setup.batchSize(), -1, (at, layout) -> "", m -> progress.accept(id
                            + ": " + m));
                    recorders.add(recorder);
                    runs.add(cluster.central().submit(spec(setup, id, j), recorder));
                }
                List<Job> jobs = new ArrayList<>();
                for (int j = 0; j < runs.size(); j++) {
                    jobs.add(outcome("scale-" + j, runs.get(j), recorders.get(j)));
                }
                CpuMeter.Usage used = cpu.usage();
                Map<String, Long> after = BrokerMetrics.snapshot();
                return new Result(jobs, used, after.get("messages") - before.get("messages"),
                        after.get("bytes") - before.get("bytes"), cluster.devices().cpu().toNanos() / 1e9, startup);
            }
        }
    }

    /**
     * Synthetic samples, a seed of its own per job (different data), speed-blind, so that each job
     * keeps a stage on each of its devices: an adaptive job may rightly run on fewer devices on one
     * machine, where a hop through the broker costs more than the stage it saves, and then would not
     * measure jobs of {@code devicesPerJob} devices.
     */
    private static JobSpec spec(Setup setup, String id, int j) {
        return new JobSpec(id, setup.model(), setup.devicesPerJob(), Schedule.ONE_F_ONE_B_OVERLAP.wireName(),
                setup.batchSize(), 1, 1, OptimizerConfig.adam(1e-3, 0), setup.seed() + j, setup.samples(), 0,
                JobSpec.SPEED_BLIND);
    }

    private static Job outcome(String id, CompletableFuture<JobReport> run, RunRecorder recorder)
            throws InterruptedException {
        try {
            return new Job(id, recorder.result(run.get(Duration.ofHours(1).toMinutes(), TimeUnit.MINUTES)), null);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Job(id, null, String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause));
        }
    }
}
