package io.ftpipe.cli;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.bench.AdaptiveComparison;
import io.ftpipe.cli.bench.EdgeRun;
import io.ftpipe.cli.bench.EdgeScenario;
import io.ftpipe.cli.bench.RunResult;
import io.ftpipe.cli.bench.WorkFolder;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.progress.QuietLogs;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.protocol.WireDtype;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.cli.testbed.HostSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe bench edge}: the adaptive planner against the speed-blind split and the best single
 * host on the testbed, where every device is a host of its own with a real CPU quota and a shaped
 * link (root only).
 */
@Command(name = "edge", mixinStandardHelpOptions = true,
        description = {"Adaptive vs speed-blind vs the best single host, with devices as separate hosts: network "
                + "namespaces with shaped links and CPU quotas (scenarios h10, wifi, mixed, drift, link-drop; root)."})
public final class BenchEdgeCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "h10", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = ScenarioNames.class)
    String scenario;
    @Option(names = "--samples", description = "training samples of the adaptive and the single-host runs "
            + "(default: the scenario's, 6400 for mobilenetv2 and 25600 for cnn, whose micro-batches are done several "
            + "times faster: a fast host ends a short run before its steady pace can be measured)")
    Integer samples;
    @Option(names = "--baseline-samples", defaultValue = "1600", description = "training samples of the "
            + "speed-blind run; a scenario's change comes half-way through each run (default: ${DEFAULT-VALUE})")
    int baselineSamples;
    @Option(names = "--wire-dtype", defaultValue = "float32", paramLabel = "float32|float16|bfloat16",
            description = "how activations and gradients cross the hosts' links (default: ${DEFAULT-VALUE})")
    String wireDtype;
    @Mixin
    private ReportOption report = new ReportOption("runs/bench-edge-" + ReportOption.SCENARIO + ".json");

    /** The scenarios, for the help text. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return EdgeScenario.NAMES.iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EdgeScenario sc;
        try {
            sc = EdgeScenario.named(scenario);
            WireDtype.named(wireDtype);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path file = report.file(sc.name());
        QuietLogs.all();
        Path work = WorkFolder.fresh(file.toAbsolutePath().resolveSibling("bench-edge-work"));
        boolean changes = sc.change() != null;
        err.println("adaptive on " + sc.hosts() + (changes ? ", " + sc.change().describe() + " half-way" : "") + " ...");
        int trained = samples == null ? sc.samples() : samples;
        RunResult adaptive = EdgeRun.run(new EdgeRun.Setup(sc.model(), sc.batchSize(), trained, JobSpec.ADAPTIVE,
                sc.hosts(), sc.change(), wireDtype), work.resolve("adaptive"), err::println);
        err.println("speed-blind ...");
        RunResult blind = EdgeRun.run(new EdgeRun.Setup(sc.model(), sc.batchSize(), baselineSamples,
                JobSpec.SPEED_BLIND, sc.hosts(), sc.change(), wireDtype), work.resolve("speed-blind"), err::println);
        HostSpec best = sc.hosts().get(sc.fastest());
        err.println("best single host (" + best + ") ...");
        RunResult single = EdgeRun.run(new EdgeRun.Setup(sc.model(), sc.batchSize(), trained,
                JobSpec.SPEED_BLIND, List.of(best), null, wireDtype), work.resolve("single"), err::println);
        AdaptiveComparison c = new AdaptiveComparison(adaptive, blind, single);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "edge");
        json.put("scenario", sc.name());
        json.put("model", sc.model());
        json.put("batch_size", sc.batchSize());
        json.put("wire_dtype", wireDtype);
        json.put("hosts", sc.hosts());
        json.put("change", sc.change());
        json.putAll(c.json());
        json.put("machine", Machine.describe());
        JsonReports.write(file, json);
        Path png = file.toAbsolutePath().resolveSibling(JobDriver.pngName(file));
        c.chart("bench edge " + sc.name() + ": " + sc.model() + " on " + sc.hosts().size() + " testbed hosts",
                changes ? sc.change().describe() : "").write(png);
        out.printf("%s: adaptive %.0f, speed-blind %.0f, best single %.0f samples/s; speedup %.2fx, plan efficiency "
                        + "%.2f%s; re-plan pauses %s s; wrote %s and %s%n", sc.name(), c.adaptiveRate(), c.blindRate(),
                c.singleRate(), c.speedup(), c.planEfficiency(), changes ? String.format(", re-planned in %.1f s",
                        c.replanSeconds()) : "", c.replanPauses(), file, png.getFileName());
        return 0;
    }
}
