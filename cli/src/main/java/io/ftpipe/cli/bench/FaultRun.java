package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One run of {@code bench faults}: a fresh embedded broker with the central node, one device JVM
 * per device, one speed-blind job (1F1B, or GPipe for the synchronous scenarios); optionally
 * SIGKILLs a scenario's devices once the job has finished a given number of micro-batches. A fresh
 * cluster per run, so no survivor of one run becomes a spare of the next.
 */
public final class FaultRun {
    /** Heartbeats this frequent keep the failure detector's view of the devices current. */
    static final String HEARTBEAT_MILLIS = "300";
    static final double LEARNING_RATE = 1e-3;

    /**
     * What to run.
     *
     * @param schedule     1F1B, or GPipe for the synchronous scenarios
     * @param microBatches per step (GPipe splits each batch so; 1 under 1F1B)
     */
    public record Setup(String model, int devices, int batchSize, int samples, long seed,
                        JobSpec.Replication replication, Schedule schedule, int microBatches) {
        /** A 1F1B job. */
        public Setup(String model, int devices, int batchSize, int samples, long seed,
                     JobSpec.Replication replication) {
            this(model, devices, batchSize, samples, seed, replication, Schedule.ONE_F_ONE_B, 1);
        }

        /** Micro-batches in the job. */
        public long totalMicroBatches() {
            return (long) samples / batchSize * microBatches;
        }

        public int microBatchSize() {
            return batchSize / microBatches;
        }

        /** The speed-blind job of one epoch. */
        public JobSpec job(String id) {
            return new JobSpec(id, model, devices, schedule.wireName(), batchSize, microBatches, 1,
                    OptimizerConfig.adam(LEARNING_RATE, 0), seed, 0, samples, JobSpec.SPEED_BLIND, replication);
        }

        public Setup with(JobSpec.Replication other) {
            return new Setup(model, devices, batchSize, samples, seed, other, schedule, microBatches);
        }
    }

    /**
     * What a run produced; times are seconds since the job was submitted, the clock of its report.
     *
     * @param report         null if the job failed, and {@code error} says why
     * @param startupSeconds when the first layout had its stages loaded, ready to train
     * @param stages         how many stages the first layout has (0 if it never started)
     * @param killAt         the micro-batch count that triggered the kill (-1 for a run without one)
     * @param killSeconds    when the kill signals went out (NaN if none did)
     */
    public record Result(JobReport report, String error, Timeline timeline, double startupSeconds, int stages,
                         long killAt, List<String> killed, double killSeconds) {
    }

    private FaultRun() {
    }

    /** Uniform in [25 %, 75 %) of the job: never while the pipeline fills, nor while it drains. */
    public static long killAt(long seed, long microBatches) {
        long from = microBatches / 4;
        return from + new Random(seed).nextInt((int) (3 * microBatches / 4 - from));
    }

    public static Result failureFree(Setup setup, Path work, Consumer<String> progress) throws Exception {
        return run(setup, null, -1, work, progress);
    }

    /**
     * The job with {@code setup}'s seed (the same data order and initial weights as the failure-free
     * run), the kill at a micro-batch drawn from {@code killSeed}.
     */
    public static Result withKill(Setup setup, FaultScenario scenario, long killSeed, Path work,
                                  Consumer<String> progress) throws Exception {
        return run(setup, scenario, killAt(killSeed, setup.totalMicroBatches()), work, progress);
    }

    private static Result run(Setup setup, FaultScenario scenario, long killAt, Path work, Consumer<String> progress)
            throws Exception {
        Map<String, Map<String, String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < setup.devices(); i++) {
            flags.put("d" + i, Map.of("--heartbeat-millis", HEARTBEAT_MILLIS));
        }
        try (BenchCluster cluster = BenchCluster.start(work, flags)) {
            Timeline timeline = new Timeline(setup.microBatchSize());
            List<String> victims = new ArrayList<>();
            List<String> killed = new ArrayList<>();
            double[] startup = {Double.NaN};
            int[] stages = {0};
            double[] kill = {Double.NaN};
            long[] killMillis = {0};
            long start = System.nanoTime();
            JobListener listener = new JobListener() {
                @Override
                public void termStarted(JobReport.Term term) {
                    double now = (System.nanoTime() - start) / 1e9;
                    if (Double.isNaN(startup[0])) {
                        startup[0] = now;
                        stages[0] = term.stages().size();
                        if (scenario != null) {
                            victims.addAll(scenario.victims(term.stages()));
                        }
                    }
                    progress.accept(String.format("%.1fs: term %d, %s (%s)", now, term.term(), term.stages().stream()
                            .map(s -> s.device() + "[" + s.from() + "," + s.to() + ")").toList(), term.reason()));
                }

                @Override
                public void microBatchDone(long done, double loss) {
                    double now = (System.nanoTime() - start) / 1e9;
                    timeline.add(now, done);
                    if (scenario != null && done >= killAt && killed.isEmpty()) {
                        kill[0] = (System.nanoTime() - start) / 1e9;
                        killMillis[0] = System.currentTimeMillis();
                        killed.addAll(victims);
                        try {
                            cluster.devices().kill(victims);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        progress.accept(String.format("%.1fs: killed %s at micro-batch %d", kill[0], victims, done));
                    }
                }
            };
            JobSpec spec = setup.job("faults");
            JobReport report = null;
            String error = null;
            try {
                report = cluster.central().submit(spec, listener).get(60, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                error = cause.getMessage() != null ? cause.getMessage() : cause.toString();
                // The report keeps one line; where the job broke is only in the trace.
                StringWriter trace = new StringWriter();
                cause.printStackTrace(new PrintWriter(trace));
                progress.accept("the job failed: " + trace);
            } catch (TimeoutException e) {
                error = "the job did not finish within 60 minutes";
            }
            // On the report's clock, so the kill lines up with its recoveries exactly.
            double killSeconds = report != null && killMillis[0] > 0
                    ? (killMillis[0] - report.startedMillis()) / 1e3 : kill[0];
            return new Result(report, error, timeline, startup[0], stages[0], killAt, List.copyOf(killed), killSeconds);
        }
    }
}
