package io.ftpipe.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.cli.bench.BrokerRestartRun;
import io.ftpipe.cli.bench.ExportedWeights;
import io.ftpipe.cli.bench.FaultRun;
import io.ftpipe.cli.bench.FaultScenario;
import io.ftpipe.cli.bench.Timings;
import io.ftpipe.cli.bench.WorkFolder;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.progress.QuietLogs;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.cli.report.ThroughputChart;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.DevicesOption;
import io.ftpipe.cli.options.ModelOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.SamplesOption;
import io.ftpipe.cli.options.SeedOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ftpipe bench faults}: how the central node recovers from devices killed mid-job, what
 * the replicas that make it possible cost when nothing fails, and an estimate of what restarting
 * the job instead would cost.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"Devices killed (SIGKILL) mid-job: time to detect the failure and to resume training, work "
                + "lost, accuracy against a failure-free run, and the throughput replication costs.",
                "Scenarios: single (stage 1's device), adjacent (stages 1 and 2 at once), all-but-one (every "
                        + "device but stage 1's), broker-restart (the central node's broker, in a JVM of its own, "
                        + "killed and started again); sync-single, sync-adjacent and sync-broker-restart are the "
                        + "same in a synchronous (GPipe) job, whose weights at the end are compared with the "
                        + "failure-free run's (weights_max_rel_diff_vs_failure_free).",
                "Trial t kills at a micro-batch drawn from --seed + t; the default --samples are 200 micro-batches "
                        + "of the default --batch-size."})
public final class BenchFaultsCommand implements Callable<Integer> {
    /** Throughput is averaged over windows this long (seconds) for the chart. */
    private static final double WINDOW = 4;
    private static final JobSpec.Replication DEFAULT_REPLICATION = JobSpec.Replication.DEFAULT;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "single",
            description = "single, adjacent, all-but-one, broker-restart, sync-single, sync-adjacent or "
                    + "sync-broker-restart (default: ${DEFAULT-VALUE})")
    String scenario;
    @Option(names = "--trials", defaultValue = "3", description = "jobs with a kill (default: ${DEFAULT-VALUE})")
    int trials;
    @Mixin
    private ModelOption model = new ModelOption("cnn");
    @Mixin
    private DevicesOption devices = new DevicesOption(4);
    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(32);
    @Mixin
    private SamplesOption samples = new SamplesOption(6400);
    @Mixin
    private SeedOption seed = new SeedOption(1);
    @Option(names = "--skip-failure-free", description = "skip the two failure-free runs (replication off and on) "
            + "that give the replication overhead and the accuracy to compare with")
    boolean skipFailureFree;
    @Option(names = "--replay-lost", negatable = true, defaultValue = "" + JobDefaults.REPLAY_LOST,
            fallbackValue = "true", description = "the trials' jobs replay what restored units lost (exactly-once "
            + "updates); --no-replay-lost loses it (default: ${DEFAULT-VALUE})")
    boolean replayLost;
    @Mixin
    private ReportOption report = new ReportOption("runs/bench-faults-" + ReportOption.SCENARIO + ".json");

    private FaultRun.Setup setup;
    /** The failure-free run's weights, for the synchronous scenarios. */
    private Map<String, float[]> failureFreeWeights;

    /**
     * One trial as reported; {@code error}, {@code events} only when they say something, and
     * {@code weightsMaxRelDiffVsFailureFree} only for a synchronous job (see {@link ExportedWeights}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Trial(int trial, long killSeed, long killAtMicroBatch, List<String> killed, double killSeconds,
                 double detectionSeconds, double recoverySeconds, int recoveries, long iterationsLost,
                 long updatesAppliedTwice, long caughtUp, long replayed,
                 double finalAccuracy, double accuracyDelta, long samplesTrained, long duplicates, int stages,
                 Map<Integer, String> sources, Double weightsMaxRelDiffVsFailureFree, boolean recovered,
                 String error, List<String> events) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FaultScenario sc = validate();
        JobSpec.Replication replication = new JobSpec.Replication(DEFAULT_REPLICATION.chainPeriod(),
                DEFAULT_REPLICATION.globalPeriod(), replayLost);
        setup = new FaultRun.Setup(model.name(), devices.value(), batchSize.value(), samples.value(), seed.value(),
                replication, sc.schedule(), sc.microBatches());
        Path file = report.file(sc.label());
        QuietLogs.all();
        Path work = WorkFolder.fresh(file.toAbsolutePath().resolveSibling("bench-faults-work"));

        FaultRun.Result off = null;
        FaultRun.Result on = null;
        if (!skipFailureFree) {
            err.println("failure-free, replication off ...");
            off = failureFree(JobSpec.Replication.OFF, work.resolve("replication-off"), err);
            err.println("failure-free, replication " + replication + " ...");
            on = failureFree(replication, work.resolve("replication-on"), err);
            if (sc.synchronous()) {
                failureFreeWeights = ExportedWeights.read(Path.of(on.report().modelPath()));
            }
        }
        double reference = on == null ? Double.NaN : on.report().testAccuracy();

        List<Trial> rows = new ArrayList<>();
        FaultRun.Result first = null;
        for (int t = 0; t < trials; t++) {
            long trialSeed = seed.value() + t;
            err.println("trial " + (t + 1) + "/" + trials + ", kill seed " + trialSeed + " ...");
            FaultRun.Result r = sc.restartsBroker()
                    ? BrokerRestartRun.withKill(setup, trialSeed, work.resolve("trial-" + t), err::println)
                    : FaultRun.withKill(setup, sc, trialSeed, work.resolve("trial-" + t), err::println);
            first = first == null ? r : first;
            Trial row = trial(t, trialSeed, r, reference, sc.synchronous());
            rows.add(row);
            err.println(row.recovered()
                    ? String.format("trial %d: recovered; detected in %.1f s, training again %.1f s after the kill, "
                    + "%d iterations lost, %d updates applied twice", t + 1, row.detectionSeconds(),
                    row.recoverySeconds(), row.iterationsLost(), row.updatesAppliedTwice())
                    : "trial " + (t + 1) + ": NOT recovered" + (row.error() != null ? ": " + row.error() : ""));
        }

        List<Trial> completed = rows.stream().filter(r -> r.error() == null).toList();
        long recovered = rows.stream().filter(Trial::recovered).count();
        Map<String, Double> detection = spread(completed.stream().map(Trial::detectionSeconds));
        Map<String, Double> recovery = spread(completed.stream().map(Trial::recoverySeconds));
        double lost = completed.stream().mapToLong(Trial::iterationsLost).average().orElse(Double.NaN);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("detection_seconds", detection);
        summary.put("recovery_seconds", recovery);
        summary.put("iterations_lost_mean", lost);
        summary.put("iterations_lost_max", completed.stream().mapToLong(Trial::iterationsLost).max().orElse(0));
        summary.put("updates_applied_twice_max", completed.stream().mapToLong(Trial::updatesAppliedTwice).max()
                .orElse(0));
        if (sc.synchronous()) {
            summary.put("weights_max_rel_diff_vs_failure_free", completed.stream()
                    .map(Trial::weightsMaxRelDiffVsFailureFree).filter(d -> d != null)
                    .mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        }
        summary.put("accuracy_delta_min", completed.stream().mapToDouble(Trial::accuracyDelta).min()
                .orElse(Double.NaN));
        summary.put("accuracy_delta_mean", completed.stream().mapToDouble(Trial::accuracyDelta).average()
                .orElse(Double.NaN));

        Map<String, Object> restart = restartBaseline(on, first, rows);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "faults");
        json.put("scenario", sc.label());
        json.put("model", model.name());
        json.put("schedule", setup.schedule().wireName());
        json.put("micro_batches", setup.microBatches());
        json.put("devices", devices.value());
        json.put("batch_size", batchSize.value());
        json.put("samples", samples.value());
        json.put("seed", seed.value());
        json.put("replication", replication);
        json.put("trials", trials);
        json.put("recovered", recovered);
        json.put("per_trial", rows);
        json.put("summary", summary);
        double overhead = Double.NaN;
        double replicationTime = Double.NaN;
        if (on != null) {
            overhead = 1 - on.report().samplesPerSecond() / off.report().samplesPerSecond();
            replicationTime = on.report().replicationSeconds() / on.report().trainSeconds();
            json.put("replication_overhead", overhead);
            json.put("replication_time_fraction", replicationTime);
            json.put("failure_free", failureFree(off.report(), on.report()));
            json.put("failure_free_accuracy", reference);
        }
        json.put("restart_baseline", restart);
        json.put("machine", Machine.describe());
        JsonReports.write(file, json);

        Path png = file.toAbsolutePath().resolveSibling(JobDriver.pngName(file));
        chart(sc, first).write(png);
        out.printf("%s: recovered %d of %d; detection median %.1f s, training again after median %.1f s; "
                        + "%.0f iterations lost on average (restart estimate: %.0f, %.1f s); replication overhead "
                        + "%s; wrote %s and %s%n", sc.label(), recovered, trials, detection.get("median"),
                recovery.get("median"), lost, restart.get("iterations_lost"), restart.get("restart_seconds"),
                Double.isNaN(overhead) ? "not measured" : String.format("%.1f%% (replication time %.2f%% of "
                        + "training, an upper bound)", 100 * overhead, 100 * replicationTime), file,
                png.getFileName());
        return 0;
    }

    private FaultScenario validate() {
        FaultScenario sc;
        try {
            sc = FaultScenario.named(scenario);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!ModelZoo.NAMES.contains(model.name())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown model '" + model.name()
                    + "'; known: "
                    + ModelZoo.NAMES);
        }
        if (devices.value() < sc.minStages()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scenario " + sc.label() + " needs at "
                    + "least " + sc.minStages() + " devices");
        }
        // The kill lands in the middle half of the job, which must hold at least one micro-batch.
        if (trials < 1 || batchSize.value() < 1 || samples.value() / Math.max(1, batchSize.value()) < 4) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--trials and --batch-size must be at least "
                    + "1, and --samples at least 4 batches");
        }
        return sc;
    }

    private FaultRun.Result failureFree(JobSpec.Replication replication, Path work, PrintWriter err)
            throws Exception {
        FaultRun.Result r = FaultRun.failureFree(setup.with(replication), work, err::println);
        if (r.report() == null) {
            throw new IllegalStateException("the failure-free run (replication " + replication + ") failed: "
                    + r.error());
        }
        return r;
    }

    /** The two failure-free runs: what replication costs, measured two ways. */
    private static Map<String, Object> failureFree(JobReport off, JobReport on) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples_per_second_replication_off", off.samplesPerSecond());
        m.put("samples_per_second_replication_on", on.samplesPerSecond());
        m.put("replicated_bytes", on.replicatedBytes());
        m.put("replication_seconds", on.replicationSeconds());
        m.put("train_seconds_replication_on", on.trainSeconds());
        m.put("how", "replication_overhead = 1 - samples_per_second_replication_on / samples_per_second_replication_"
                + "off: two runs, so it carries their noise, which on a shared machine can exceed the cost. "
                + "replication_time_fraction = replication_seconds / train_seconds_replication_on, both of the "
                + "replication-on run. replication_seconds is the sum over devices of the time their training "
                + "thread spent on replicas (capturing the units' states, encoding, publishing), from their "
                + "heartbeats (a device sends one right after answering a collect, so the job's last round, "
                + "just before its final collect, is counted unless that heartbeat is lost); "
                + "train_seconds is the job's wall time training (samples_per_second is the samples over it). "
                + "A device's training thread does not train while it replicates, and the pipeline loses at "
                + "most that time; summing the devices counts it as if none of it overlapped, so the fraction is "
                + "an upper bound on the throughput lost to replicating on the devices' training threads. Not in "
                + "it: the next device decoding a chain replica, the broker forwarding replicas and the central "
                + "node storing them, which take CPU from the same cores when they are shared.");
        return m;
    }

    private Trial trial(int t, long trialSeed, FaultRun.Result r, double reference, boolean synchronous)
            throws Exception {
        JobReport rep = r.report();
        if (rep == null) {
            return new Trial(t, trialSeed, r.killAt(), r.killed(), r.killSeconds(), Double.NaN, Double.NaN, 0, 0, 0, 0, 0,
                    Double.NaN, Double.NaN, 0, 0, r.stages(), Map.of(), null, false, r.error(), null);
        }
        Double weightsDiff = null;
        if (synchronous && failureFreeWeights != null) {
            weightsDiff = ExportedWeights.maxRelativeDifference(failureFreeWeights,
                    ExportedWeights.read(Path.of(rep.modelPath())));
        }
        List<JobReport.Recovery> recoveries = rep.recoveries();
        JobReport.Recovery firstRecovery = recoveries.isEmpty() ? null : recoveries.get(0);
        long trained = rep.epochs().get(0).samples();
        boolean recovered = trained == samples.value() && rep.duplicateMicroBatches() == 0 && !recoveries.isEmpty()
                && recoveries.stream().noneMatch(x -> Double.isNaN(x.resumedAtSeconds()));
        return new Trial(t, trialSeed, r.killAt(), r.killed(), r.killSeconds(),
                firstRecovery == null ? Double.NaN : firstRecovery.detectedAtSeconds() - r.killSeconds(),
                firstRecovery == null ? Double.NaN : firstRecovery.resumedAtSeconds() - r.killSeconds(),
                recoveries.size(), rep.iterationsLost(), rep.updatesAppliedTwice(),
                recoveries.stream().mapToLong(JobReport.Recovery::caughtUp).sum(),
                rep.replayedMicroBatches(), rep.testAccuracy(), rep.testAccuracy() - reference, trained,
                rep.duplicateMicroBatches(), r.stages(), firstRecovery == null ? Map.of() : firstRecovery.sources(),
                weightsDiff, recovered, null, recovered ? null : rep.events());
    }

    /** Median and max of the finite values (a trial that never resumed has none). */
    private static Map<String, Double> spread(Stream<Double> seconds) {
        long[] nanos = seconds.filter(Double::isFinite).mapToLong(s -> Math.round(s * 1e9)).toArray();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("median", nanos.length == 0 ? Double.NaN : Timings.of(nanos).medianMs() / 1e3);
        m.put("max", nanos.length == 0 ? Double.NaN : Arrays.stream(nanos).max().getAsLong() / 1e9);
        return m;
    }

    /**
     * What a system without in-job recovery would pay, estimated from what was measured: nothing
     * here stops and restarts a job, so it must not pass for a measurement.
     */
    private Map<String, Object> restartBaseline(FaultRun.Result failureFree, FaultRun.Result firstTrial,
                                                List<Trial> rows) {
        FaultRun.Result startupFrom = failureFree != null ? failureFree : firstTrial;
        double startup = startupFrom.startupSeconds();
        double detection = ExtensionConfig.DEFAULT_HEARTBEAT_TIMEOUT_MILLIS / 1000.0;
        int global = DEFAULT_REPLICATION.globalPeriod();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "estimate");
        m.put("startup_seconds", startup);
        m.put("startup_measured_on", failureFree != null ? "failure-free run, replication on" : "trial 1");
        m.put("detection_seconds", detection);
        m.put("restart_seconds", startup + detection);
        m.put("iterations_lost", rows.stream().filter(r -> r.stages() > 0)
                .mapToLong(r -> r.killAtMicroBatch() % global + r.stages()).average().orElse(Double.NaN));
        m.put("how", "restart_seconds = startup_seconds + detection_seconds: the job's measured start-up (from "
                + "submission until the first layout's stages were shipped and loaded) plus detection by heartbeat "
                + "timeout (the default heartbeatTimeoutMillis). iterations_lost = mean over trials of (kill_at_micro_"
                + "batch mod the global replication period " + global + ") + the number of stages: the work since "
                + "the last global replica, plus the micro-batches in flight. Neither is measured: nothing here "
                + "restarts a job. The heartbeat timeout is the worst case of detection; the trials' measured "
                + "detection is in summary.detection_seconds.");
        return m;
    }

    private ThroughputChart chart(FaultScenario sc, FaultRun.Result first) {
        ThroughputChart chart = new ThroughputChart("bench faults " + sc.label() + ": " + model.name() + ", "
                + devices.value() + " devices, trial 1, killed " + first.killed());
        chart.series("trial 1", first.timeline().windowed(WINDOW));
        chart.moments("kill", Stream.of(first.killSeconds()).filter(Double::isFinite).toList());
        if (first.report() != null) {
            chart.moments("training again", first.report().recoveries().stream()
                    .map(JobReport.Recovery::resumedAtSeconds).filter(Double::isFinite).toList());
        }
        return chart;
    }
}
