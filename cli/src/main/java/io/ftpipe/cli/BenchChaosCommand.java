package io.ftpipe.cli;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.bench.ChaosOutcome;
import io.ftpipe.cli.bench.ChaosPlan;
import io.ftpipe.cli.bench.ChaosRun;
import io.ftpipe.cli.bench.ExportedWeights;
import io.ftpipe.cli.bench.WorkFolder;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.ModelOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.SamplesOption;
import io.ftpipe.cli.progress.QuietLogs;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.cli.report.ThroughputChart;
import io.ftpipe.zoo.model.ModelZoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ftpipe bench chaos}: one long synchronous job while faults of every kind are done to its
 * devices at seeded random times, checked against the same job without faults.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"One long adaptive GPipe job on devices of different speeds (--slowdowns), each behind a "
                + "link of its own, while faults are done to its devices at seeded random times, one every 15 to "
                + "35 s: kill (the device rebooted 3 s later), pause (SIGSTOP past the heartbeat timeout), "
                + "network outage (the link down as long), duplicated and late delivery of the job's stage "
                + "messages (10 s), a second device paused while the job recovers from a kill, and the central "
                + "node (the broker with the extension, in a JVM of its own) killed as the next re-plan starts "
                + "or, if none starts within 15 s, as the job recovers from a device killed for it, and started "
                + "again at once.",
                "The default model is mobilenetv2 on devices 4 to 8 times slower than this machine: what the "
                        + "planner needs to spread a job over several devices (with its ten units, and compute "
                        + "that outweighs the broker's hops). On full-speed device processes sharing two cores it "
                        + "rightly trains on one, and then no fault but an echo can be survived.",
                "First a failure-free run: one epoch to size the job so that it trains about --minutes, then "
                        + "the sized job without faults, the reference. Then --runs chaos runs (seeds --seed, "
                        + "--seed + 1, ...). Each must keep every invariant: the job completes, every sample once "
                        + "per epoch, no update lost or applied twice, the failure-free run's weights (so no "
                        + "message of an old term applied), accuracy within 1 point, every fault detected.",
                "Writes the JSON report (every fault, what detected it, how long until training again) and a "
                        + "PNG per run of throughput with the faults marked. Exits 1 if an invariant broke."})
public final class BenchChaosCommand implements Callable<Integer> {
    private static final double WINDOW = 4;
    private static final double FIRST_FAULT_SECONDS = 20;
    private static final double MIN_GAP = 15;
    private static final double MAX_GAP = 35;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "10", description = "how long each run trains under faults "
            + "(default: ${DEFAULT-VALUE})")
    double minutes;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the first run's faults (default: "
            + "${DEFAULT-VALUE}); the job's own seed is fixed, so every run trains the same job")
    long seed;
    @Option(names = "--runs", defaultValue = "1", description = "chaos runs, with seeds --seed, --seed + 1, ... "
            + "(default: ${DEFAULT-VALUE})")
    int runs;
    @Option(names = "--slowdowns", split = ",", paramLabel = "K", defaultValue = "4,4,8,8",
            description = "one device per value, that many times slower than its CPU (default: ${DEFAULT-VALUE})")
    List<Integer> slowdowns;
    @Mixin
    private ModelOption model = new ModelOption("mobilenetv2");
    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(32);
    @Mixin
    private SamplesOption samples = new SamplesOption(1600);
    @Mixin
    private ReportOption report = new ReportOption("runs/bench-chaos.json");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Path file = report.file();
        QuietLogs.all();
        Path work = WorkFolder.fresh(file.toAbsolutePath().resolveSibling("bench-chaos-work"));
        ChaosRun.Setup setup = new ChaosRun.Setup(model.name(), slowdowns, batchSize.value(), 4, samples.value(), 1,
                11, JobSpec.Replication.DEFAULT);

        err.println("sizing: one failure-free epoch ...");
        ChaosRun.Result sizing = failureFree(setup, work.resolve("sizing"), err);
        int epochs = (int) Math.max(1, Math.round(minutes * 60 / sizing.report().trainSeconds()));
        setup = setup.withEpochs(epochs);
        err.printf("%d epochs of %d samples; the failure-free reference ...%n", epochs, samples.value());
        ChaosRun.Result reference = failureFree(setup, work.resolve("reference"), err);
        Map<String, float[]> referenceWeights = ExportedWeights.read(Path.of(reference.report().modelPath()));

        List<Map<String, Object>> rows = new ArrayList<>();
        int violations = 0;
        int faults = 0;
        int skipped = 0;
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (int r = 0; r < runs; r++) {
            long runSeed = seed + r;
            List<ChaosPlan.Fault> plan = ChaosPlan.draw(runSeed, FIRST_FAULT_SECONDS, minutes * 60, MIN_GAP, MAX_GAP);
            err.printf("chaos run %d/%d, seed %d: %d faults planned ...%n", r + 1, runs, runSeed, plan.size());
            ChaosRun.Result run = ChaosRun.run(setup, plan, work.resolve("run-" + runSeed), err::println);
            List<ChaosOutcome.Fault> outcomes = ChaosOutcome.faults(run.faults(),
                    run.report() == null ? List.of() : run.report().recoveries(),
                    run.report() == null ? List.of() : run.report().terms());
            double weightsDiff = run.report() == null ? Double.NaN
                    : ExportedWeights.maxRelativeDifference(referenceWeights,
                    ExportedWeights.read(Path.of(run.report().modelPath())));
            List<ChaosOutcome.Invariant> invariants = ChaosOutcome.invariants(run.report(), run.error(),
                    reference.report(), weightsDiff, samples.value(), epochs, outcomes);
            List<ChaosOutcome.Invariant> broken = invariants.stream().filter(i -> !i.holds()).toList();
            violations += broken.size();
            faults += outcomes.size();
            skipped += run.skipped().size();
            outcomes.forEach(o -> byKind.merge(o.kind(), 1L, Long::sum));
            rows.add(row(runSeed, run, outcomes, invariants, weightsDiff));
            Path png = file.toAbsolutePath().resolveSibling(JobDriver.pngName(file).replace(".png",
                    "-seed-" + runSeed + ".png"));
            chart(runSeed, run, outcomes).write(png);
            err.printf("run %d: %d faults done, %s%n", r + 1, outcomes.size(), broken.isEmpty()
                    ? "every invariant held" : "BROKEN: " + broken);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "chaos");
        json.put("model", model.name());
        json.put("schedule", "gpipe");
        json.put("planner", JobSpec.ADAPTIVE);
        json.put("slowdowns", slowdowns);
        json.put("batch_size", batchSize.value());
        json.put("micro_batches", setup.microBatches());
        json.put("samples", samples.value());
        json.put("epochs", epochs);
        json.put("replication", setup.replication());
        json.put("minutes", minutes);
        json.put("failure_free", Map.of("test_accuracy", reference.report().testAccuracy(), "train_seconds",
                reference.report().trainSeconds()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runs", runs);
        summary.put("faults", faults);
        summary.put("faults_by_kind", byKind);
        summary.put("faults_skipped", skipped);
        summary.put("broker_kills_by_moment", rows.stream().flatMap(m -> ((List<?>) m.get("faults")).stream())
                .map(f -> (ChaosOutcome.Fault) f).filter(f -> f.kind().equals(ChaosPlan.Kind.BROKER.label()))
                .collect(Collectors.groupingBy(ChaosOutcome.Fault::when, LinkedHashMap::new, Collectors.counting())));
        summary.put("invariant_violations", violations);
        summary.put("chaos_minutes", rows.stream().mapToDouble(m -> (double) m.get("train_seconds"))
                .filter(Double::isFinite).sum() / 60);
        json.put("summary", summary);
        json.put("per_run", rows);
        json.put("machine", Machine.describe());
        JsonReports.write(file, json);
        out.printf("%d runs, %d faults (%s), %d invariant violations; wrote %s%n", runs, faults, byKind, violations,
                file);
        return violations == 0 ? 0 : 1;
    }

    private void validate() {
        if (!ModelZoo.NAMES.contains(model.name())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown model '" + model.name()
                    + "'; known: " + ModelZoo.NAMES);
        }
        if (minutes <= 0 || runs < 1 || slowdowns.size() < 3 || slowdowns.stream().anyMatch(k -> k < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--minutes must be positive, --runs at "
                    + "least 1, and --slowdowns at least three values of 1 or more (a fault hits up to two "
                    + "devices, and the job needs one left to recover on)");
        }
        if (batchSize.value() % 4 != 0 || samples.value() < batchSize.value()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must split into 4 "
                    + "micro-batches, and --samples hold a batch at least");
        }
    }

    private static ChaosRun.Result failureFree(ChaosRun.Setup setup, Path work, PrintWriter err) throws Exception {
        ChaosRun.Result r = ChaosRun.run(setup, List.of(), work, err::println);
        if (r.report() == null) {
            throw new IllegalStateException("the failure-free run failed: " + r.error());
        }
        return r;
    }

    private static Map<String, Object> row(long runSeed, ChaosRun.Result run, List<ChaosOutcome.Fault> outcomes,
                                           List<ChaosOutcome.Invariant> invariants, double weightsDiff) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", runSeed);
        m.put("completed", run.report() != null);
        m.put("train_seconds", run.report() == null ? Double.NaN : run.report().trainSeconds());
        m.put("test_accuracy", run.report() == null ? Double.NaN : run.report().testAccuracy());
        m.put("weights_max_rel_diff_vs_failure_free", weightsDiff);
        m.put("faults_skipped", run.skipped().stream().map(f -> f.kind().label()).toList());
        m.put("recoveries", run.report() == null ? 0 : run.report().recoveries().size());
        m.put("replans", run.report() == null ? 0 : run.report().terms().size() - 1
                - run.report().recoveries().size());
        m.put("devices_per_term", run.report() == null ? List.of() : run.report().terms().stream()
                .map(t -> t.devices().size()).toList());
        m.put("invariants", invariants);
        m.put("faults", outcomes);
        m.put("training_again_seconds_by_kind", outcomes.stream().filter(o -> Double.isFinite(o.trainingAgainSeconds()))
                .collect(Collectors.groupingBy(ChaosOutcome.Fault::kind, LinkedHashMap::new,
                        Collectors.averagingDouble(ChaosOutcome.Fault::trainingAgainSeconds))));
        return m;
    }

    private ThroughputChart chart(long runSeed, ChaosRun.Result run, List<ChaosOutcome.Fault> outcomes) {
        ThroughputChart chart = new ThroughputChart("bench chaos, seed " + runSeed + ": " + model.name() + " on "
                + slowdowns.size() + " devices (slowdowns " + slowdowns + "), " + outcomes.size() + " faults");
        chart.series("samples/s", run.timeline().windowed(WINDOW));
        for (ChaosPlan.Kind kind : ChaosPlan.Kind.values()) {
            chart.moments(kind.label(), outcomes.stream().filter(o -> o.kind().equals(kind.label()))
                    .map(ChaosOutcome.Fault::atSeconds).toList());
        }
        return chart;
    }
}
