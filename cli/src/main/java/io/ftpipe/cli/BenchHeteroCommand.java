package io.ftpipe.cli;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.bench.AdaptiveComparison;
import io.ftpipe.cli.bench.HeteroRun;
import io.ftpipe.cli.bench.HeteroScenario;
import io.ftpipe.cli.bench.RunResult;
import io.ftpipe.cli.bench.WorkFolder;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe bench hetero}: throughput of the adaptive planner against the speed-blind split
 * and the best single device, with emulated heterogeneous devices.
 */
@Command(name = "hetero", mixinStandardHelpOptions = true,
        description = {"Adaptive re-partitioning vs a speed-blind split vs the best single device, on emulated "
                + "heterogeneous devices (scenarios h10, spread, drift).",
                "Every device is slowed by --base-slowdown on top of the scenario's factor, so that four device "
                        + "processes on a small machine each behave like a gateway with a core of its own."})
public final class BenchHeteroCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "h10", description = "h10, spread or drift (default: ${DEFAULT-VALUE})")
    String scenario;
    @Option(names = "--model", defaultValue = "mobilenetv2", completionCandidates = ModelNames.class,
            description = "default ${DEFAULT-VALUE}: ten units of uneven cost and boundary size to balance")
    String model;
    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;
    @Option(names = "--base-slowdown", defaultValue = "4", description = "applied to every device (default: ${DEFAULT-VALUE})")
    double baseSlowdown;
    @Option(names = "--samples", defaultValue = "9600", description = "training samples of the adaptive run")
    int samples;
    @Option(names = "--baseline-samples", defaultValue = "1600",
            description = "training samples of the single-device run, and of the speed-blind run unless the scenario "
                    + "drifts (then it has --samples, to reach its steady state after the slow-down)")
    int baselineSamples;
    @Option(names = "--report", description = "default runs/bench-hetero-SCENARIO.json")
    Path report;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HeteroScenario sc = HeteroScenario.named(scenario);
        if (report == null) {
            report = Path.of("runs", "bench-hetero-" + sc.name() + ".json");
        }
        java.util.logging.Logger.getLogger("io.ftpipe").setLevel(java.util.logging.Level.WARNING);
        Path work = WorkFolder.fresh(report.toAbsolutePath().resolveSibling("bench-hetero-work"));
        List<Double> slowdowns = sc.slowdowns().stream().map(s -> s * baseSlowdown).toList();
        double drift = sc.driftFactor() * baseSlowdown;

        err.println("adaptive, slowdowns " + slowdowns + (sc.drifts() ? ", d" + sc.driftDevice() + " to " + drift
                + " half-way" : "") + " ...");
        RunResult adaptive = HeteroRun.run(new HeteroRun.Setup(model, batchSize, samples, JobSpec.ADAPTIVE,
                slowdowns, sc.driftDevice(), drift), work.resolve("adaptive"), err::println);
        err.println("speed-blind ...");
        // Under drift the speed-blind rate is the second half's, so its run is as long as the adaptive one.
        RunResult blind = HeteroRun.run(new HeteroRun.Setup(model, batchSize, sc.drifts() ? samples : baselineSamples,
                JobSpec.SPEED_BLIND, slowdowns, sc.driftDevice(), drift), work.resolve("speed-blind"), err::println);
        err.println("best single device (slowdown " + sc.fastest() * baseSlowdown + ") ...");
        RunResult single = HeteroRun.run(new HeteroRun.Setup(model, batchSize, baselineSamples,
                JobSpec.SPEED_BLIND, List.of(sc.fastest() * baseSlowdown), -1, 1), work.resolve("single"), err::println);
        AdaptiveComparison c = new AdaptiveComparison(adaptive, blind, single);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "hetero");
        json.put("scenario", sc.name());
        json.put("model", model);
        json.put("batch_size", batchSize);
        json.put("base_slowdown", baseSlowdown);
        json.put("scenario_slowdowns", sc.slowdowns());
        json.put("device_slowdowns", slowdowns);
        json.putAll(c.json());
        json.put("machine", Machine.describe());
        JsonReports.write(report, json);
        Path png = report.toAbsolutePath().resolveSibling(JobDriver.pngName(report));
        c.chart("bench hetero " + sc.name() + ": " + model + ", slowdowns " + sc.slowdowns() + " x " + baseSlowdown,
                "slow-down").write(png);
        out.printf("%s: adaptive %.0f, speed-blind %.0f, best single %.0f samples/s; speedup %.2fx, plan efficiency "
                        + "%.2f%s; re-plan pauses %s s; wrote %s and %s%n", sc.name(), c.adaptiveRate(), c.blindRate(),
                c.singleRate(), c.speedup(), c.planEfficiency(), sc.drifts() ? String.format(", re-planned in %.1f s",
                        c.replanSeconds()) : "", c.replanPauses(), report, png.getFileName());
        return 0;
    }
}
