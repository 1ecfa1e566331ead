package io.ftpipe.cli;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.cli.bench.BenchComputeReport;
import io.ftpipe.cli.bench.ComputeBenchmark;
import io.ftpipe.cli.bench.ComputeResult;
import io.ftpipe.cli.bench.ResultsTable;
import io.ftpipe.cli.progress.ProgressBars;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import me.tongfei.progressbar.ProgressBar;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.ThreadsOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe bench compute}: per model, the time of a forward, of a training step and of the
 * exported inference model's forward on this machine, as a table and a JSON report.
 */
@Command(name = "compute",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Time each model's forward, training step (forward + backward + Adam) and exported",
                "inference forward on one batch of synthetic images, whole model as one stage."})
public final class BenchComputeCommand implements Callable<Integer> {

    /** Fixed: the input is synthetic and the numbers should not depend on it. */
    private static final long SEED = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ReportOption report = new ReportOption("runs/bench-compute.json");

    @Option(names = "--models", split = ",", defaultValue = "mlp,cnn,mobilenetv2",
            description = "Comma-separated models (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(64);

    @Option(names = "--iterations", defaultValue = "30", description = "Measured runs of each kind (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured runs before them (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    private ThreadsOption threads = new ThreadsOption(2);

    @Override
    public Integer call() throws Exception {
        validate();
        // Every name is checked before the first (long) measurement starts.
        List<Model> nets = new ArrayList<>();
        for (String name : models) {
            nets.add(ModelZoo.create(name.trim()));
        }

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ComputeBenchmark bench = new ComputeBenchmark(OrtEnvironment.getEnvironment(), batchSize.value(), iterations,
                warmup, threads.value(), SEED);
        List<ComputeResult> results = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            Model net = nets.get(i);
            String task = net.name() + " (" + (i + 1) + "/" + nets.size() + ")";
            try (ProgressBar bar = ProgressBars.open(err, task, bench.steps())) {
                results.add(bench.measure(net, bar::step));
            }
        }

        out.printf("ms per batch of %d, %d ONNX Runtime thread(s): median (p90) of %d runs after %d warm-up runs%n",
                batchSize.value(), threads.value(), iterations, warmup);
        out.print(ResultsTable.format(results));
        Path file = report.file().toAbsolutePath();
        JsonReports.write(file, new BenchComputeReport("compute", batchSize.value(), iterations, warmup, threads.value(), SEED,
                results,
                Machine.describe()));
        out.println("wrote " + file);
        out.flush();
        return 0;
    }

    private void validate() {
        if (batchSize.value() < 1 || iterations < 1 || warmup < 0 || threads.value() < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--batch-size, --iterations and --threads must be at least 1 and --warmup at least 0");
        }
    }
}
