package io.ftpipe.cli;

import io.ftpipe.cli.bench.PlannerBenchmark;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ftpipe bench planner}: the planner's time on large fleets, against the exact optimum where known. */
@Command(name = "planner", mixinStandardHelpOptions = true,
        description = "Time the planner for 8 to 64 heterogeneous devices x 100 units; where the exact "
                + "program runs, its time and the ratio of predicted times.")
public final class BenchPlannerCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ReportOption report = new ReportOption("runs/bench-planner.json");

    @Option(names = "--runs", defaultValue = "5", description = "Timed calls per size; the median is reported "
            + "(default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--units", defaultValue = "100", description = "Units of the model (default: ${DEFAULT-VALUE}).")
    private int units;

    @Option(names = "--seed", defaultValue = "24", description = "Seed of the fleets (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || units < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs and --units must be >= 1, got "
                    + runs + " and " + units);
        }
        var out = spec.commandLine().getOut();
        List<Map<String, Object>> results = new ArrayList<>();
        out.printf("%8s %8s %12s %12s %12s %14s %14s%n", "devices", "program", "planner ms", "search ms",
                "exact ms", "predicted ms", "search/exact");
        for (int devices : new int[] {8, 10, 16, 32, 64}) {
            Map<String, Object> r = PlannerBenchmark.measure(devices, units, runs, seed + devices);
            results.add(r);
            out.printf("%8d %8s %12.1f %12.1f %12s %14.3f %14s%n", devices, r.get("program"), r.get("planner_ms"),
                    r.get("search_ms"), r.containsKey("exact_ms") ? String.format("%.1f", r.get("exact_ms")) : "-",
                    r.get("predicted_ms_per_micro_batch"),
                    r.containsKey("search_over_exact") ? String.format("%.4f", r.get("search_over_exact")) : "-");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "planner");
        json.put("seed", seed);
        json.put("results", results);
        json.put("machine", Machine.describe());
        JsonReports.write(report.file(), json);
        out.println("wrote " + report.file());
        return 0;
    }
}
