package io.ftpipe.cli;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.cli.bench.BenchComputeReport;
import io.ftpipe.cli.bench.ComputeBenchmark;
import io.ftpipe.cli.bench.ComputeResult;
import io.ftpipe.cli.bench.PyTorchComparison;
import io.ftpipe.cli.bench.PyTorchPeer;
import com.fasterxml.jackson.databind.JsonNode;
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

    @Option(names = "--against-pytorch", description = "Also time each model's training step in PyTorch on this "
            + "machine (Debian's python3-torch with OpenBLAS), alternating with ours, and report the ratio.")
    boolean againstPytorch;

    @Option(names = "--rounds", defaultValue = "3", description = "With --against-pytorch: alternated rounds per "
            + "model, whose medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

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
        Path file = report.file().toAbsolutePath();
        PyTorchPeer torch = againstPytorch ? PyTorchPeer.in(file.resolveSibling("bench-compute-work")) : null;
        List<ComputeResult> results = new ArrayList<>();
        List<PyTorchComparison> comparisons = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            Model net = nets.get(i);
            String task = net.name() + " (" + (i + 1) + "/" + nets.size() + ")";
            List<double[]> paired = new ArrayList<>();
            for (int round = 0; round < (torch == null ? 1 : rounds); round++) {
                // Alternate who goes first, so that a machine getting faster or slower favours neither.
                JsonNode theirs = torch != null && round % 2 == 1 ? pytorch(torch, net, err) : null;
                ComputeResult ours;
                try (ProgressBar bar = ProgressBars.open(err, task, bench.steps())) {
                    ours = bench.measure(net, bar::step);
                }
                if (torch != null && theirs == null) {
                    theirs = pytorch(torch, net, err);
                }
                if (round == 0) {
                    results.add(ours);
                }
                if (theirs != null) {
                    paired.add(new double[]{ours.trainStepMs(), theirs.get("train_step_ms").asDouble(),
                            ours.forwardMs(), theirs.get("eval_forward_ms").asDouble()});
                    pytorchVersion = theirs.get("torch_version").asText();
                    pytorchBlas = theirs.get("blas").toString();
                }
            }
            if (torch != null) {
                comparisons.add(PyTorchComparison.of(net.name(), paired));
            }
        }

        out.printf("ms per batch of %d, %d ONNX Runtime thread(s): median (p90) of %d runs after %d warm-up runs%n",
                batchSize.value(), threads.value(), iterations, warmup);
        out.print(ResultsTable.format(results));
        comparisons.forEach(out::println);
        JsonReports.write(file, new BenchComputeReport("compute", batchSize.value(), iterations, warmup, threads.value(),
                SEED, results, comparisons, pytorchVersion, pytorchBlas, Machine.describe()));
        out.println("wrote " + file);
        out.flush();
        return 0;
    }

    private String pytorchVersion;
    private String pytorchBlas;

    private JsonNode pytorch(PyTorchPeer torch, Model net, PrintWriter err) throws java.io.IOException {
        err.println(net.name() + " in PyTorch ...");
        err.flush();
        return torch.step(net.name(), batchSize.value(), threads.value(), iterations, warmup);
    }

    private void validate() {
        if (batchSize.value() < 1 || iterations < 1 || warmup < 0 || threads.value() < 1 || rounds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--batch-size, --iterations and --threads must be at least 1 and --warmup at least 0");
        }
    }
}
