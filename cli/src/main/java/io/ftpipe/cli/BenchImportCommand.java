package io.ftpipe.cli;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.cli.bench.ComputeBenchmark;
import io.ftpipe.cli.bench.ComputeResult;
import io.ftpipe.cli.bench.PyTorchComparison;
import io.ftpipe.cli.bench.PyTorchPeer;
import io.ftpipe.cli.bench.WorkFolder;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.ThreadsOption;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.zoo.data.BatchOrder;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.importer.ImportOptions;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.model.UnitInfo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.train.LocalTrainer;
import io.ftpipe.zoo.train.TrainConfig;
import io.ftpipe.zoo.train.TrainListener;
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

/**
 * {@code ftpipe bench import}: models nobody here wrote, exported by PyTorch and imported, against
 * PyTorch itself on this machine: the training step (alternated rounds, medians) and, for models of
 * Fashion-MNIST's shape, the test accuracy after the same training (Adam, learning rate, batch size,
 * epochs, training samples, initial weights and data order) over several seeds. {@code mobilenetv2}
 * is the zoo's MobileNetV2 written in PyTorch: imported, it is also timed against the zoo's own.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Imported PyTorch models against PyTorch: training step and accuracy after the same training.")
public final class BenchImportCommand implements Callable<Integer> {
    private static final long SEED = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;
    @Mixin
    private ReportOption report = new ReportOption("runs/bench-import.json");
    @Option(names = "--models", split = ",", defaultValue = "resnet18,mobilenet_v2,har,mobilenetv2",
            description = "PyTorch models (default: ${DEFAULT-VALUE}).")
    List<String> models;
    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(64);
    @Mixin
    private ThreadsOption threads = new ThreadsOption(2);
    @Option(names = "--iterations", defaultValue = "10", description = "timed steps per round (default: ${DEFAULT-VALUE})")
    int iterations;
    @Option(names = "--warmup", defaultValue = "3", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--rounds", defaultValue = "3", description = "alternated rounds (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--train-samples", defaultValue = "12000", description = "Fashion-MNIST training images "
            + "both frameworks train on; 0 skips the accuracy comparison (default: ${DEFAULT-VALUE})")
    int trainSamples;
    @Option(names = "--epochs", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--seeds", defaultValue = "3", description = "accuracy runs, each with its own initial weights "
            + "and data order, shared by both frameworks (default: ${DEFAULT-VALUE})")
    int seeds;
    @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (seeds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds must be at least 1, got " + seeds);
        }
        Path file = report.file().toAbsolutePath();
        PyTorchPeer torch = PyTorchPeer.in(WorkFolder.fresh(file.resolveSibling("bench-import-work")));
        ComputeBenchmark bench = new ComputeBenchmark(OrtEnvironment.getEnvironment(), batchSize.value(), iterations,
                warmup, threads.value(), SEED);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : models) {
            err.println(name + ": exported by PyTorch and imported ...");
            err.flush();
            Model imported = LoadedModel.load(torch.export(name, SEED).toString(), ImportOptions.defaults()).model();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", name);
            row.put("input", imported.inputShape());
            row.put("units", imported.size());
            row.put("params", imported.info().stream().mapToLong(UnitInfo::paramCount).sum());
            PyTorchComparison step = steps(torch, name, imported, bench, err);
            row.put("train_step", step);
            out.println(step);
            if (ModelZoo.NAMES.contains(name)) {
                double zoo = importedOverZoo(ModelZoo.create(name), imported, bench, err);
                row.put("imported_vs_zoo_train_step", zoo);
                out.printf("%-12s imported / zoo training step: %.2f%n", name, zoo);
            }
            if (trainSamples > 0 && Arrays.equals(imported.inputShape(), new long[]{1, 28, 28})) {
                row.putAll(accuracy(torch, name, err));
                out.printf("%-12s test accuracy, mean of %d seeds: ours %.4f, PyTorch %.4f%n", name, seeds,
                        row.get("test_accuracy"), row.get("pytorch_test_accuracy"));
            }
            rows.add(row);
            out.flush();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "import");
        json.put("batch_size", batchSize.value());
        json.put("threads", threads.value());
        json.put("iterations", iterations);
        json.put("rounds", rounds);
        json.put("train_samples", trainSamples);
        json.put("epochs", epochs);
        json.put("seeds", seeds);
        json.put("lr", lr);
        json.put("models", rows);
        json.put("machine", Machine.describe());
        JsonReports.write(file, json);
        out.println("wrote " + file);
        return 0;
    }

    /** Our step and PyTorch's, alternating who goes first. */
    private PyTorchComparison steps(PyTorchPeer torch, String name, Model imported, ComputeBenchmark bench,
                                    PrintWriter err)
            throws Exception {
        List<double[]> paired = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            JsonNode theirs = r % 2 == 1 ? torch.step(name, batchSize.value(), threads.value(), iterations, warmup) : null;
            ComputeResult ours = bench.measure(imported, () -> { });
            if (theirs == null) {
                theirs = torch.step(name, batchSize.value(), threads.value(), iterations, warmup);
            }
            paired.add(new double[]{ours.trainStepMs(), theirs.get("train_step_ms").asDouble(), ours.forwardMs(),
                    theirs.get("eval_forward_ms").asDouble()});
            err.printf("  round %d: ours %.1f ms, PyTorch %.1f ms%n", r + 1, ours.trainStepMs(),
                    theirs.get("train_step_ms").asDouble());
            err.flush();
        }
        return PyTorchComparison.of(name, paired);
    }

    /** The imported model's training step over the zoo's own, median of alternated rounds. */
    private double importedOverZoo(Model zoo, Model imported, ComputeBenchmark bench, PrintWriter err)
            throws Exception {
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Model first = r % 2 == 0 ? zoo : imported;
            double a = bench.measure(first, () -> { }).trainStepMs();
            double b = bench.measure(first == zoo ? imported : zoo, () -> { }).trainStepMs();
            ratios[r] = first == zoo ? b / a : a / b;
            err.printf("  round %d: imported / zoo %.3f%n", r + 1, ratios[r]);
        }
        Arrays.sort(ratios);
        return ratios[rounds / 2];
    }

    /**
     * Test accuracy after the same training here (one stage) and in PyTorch, once per seed: each seed
     * exports its own initial weights, which both start from, and both visit the data in our order.
     */
    private Map<String, Object> accuracy(PyTorchPeer torch, String name, PrintWriter err) throws Exception {
        Dataset train = FashionMnist.train(FashionMnist.DEFAULT_DIR).limit(trainSamples);
        Dataset test = FashionMnist.test(FashionMnist.DEFAULT_DIR);
        double[] ours = new double[seeds];
        double[] theirs = new double[seeds];
        double samplesPerSecond = 0;
        for (int s = 0; s < seeds; s++) {
            long seed = SEED + s;
            err.printf("  seed %d: training on %d Fashion-MNIST images, %d epoch(s), here and in PyTorch ...%n", seed,
                    trainSamples, epochs);
            err.flush();
            Model imported = LoadedModel.load(torch.export(name, seed).toString(), ImportOptions.defaults()).model();
            var result = LocalTrainer.train(imported, new TrainConfig(epochs, batchSize.value(), 1,
                    OptimizerConfig.adam(lr, 0), seed, threads.value()), train, test, new TrainListener() {
            });
            int[][] orders = new int[epochs][];
            for (int e = 0; e < epochs; e++) {
                orders[e] = BatchOrder.permutation(train.size(), seed, e);
            }
            ours[s] = result.last().testAccuracy();
            theirs[s] = torch.train(name, FashionMnist.DEFAULT_DIR, trainSamples, orders, batchSize.value(), lr,
                    threads.value(), seed).get("test_accuracy").asDouble();
            samplesPerSecond = result.samplesPerSecond();
            err.printf("  seed %d: ours %.4f, PyTorch %.4f%n", seed, ours[s], theirs[s]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_accuracy", mean(ours));
        m.put("pytorch_test_accuracy", mean(theirs));
        m.put("accuracy_gap_points", 100 * (mean(ours) - mean(theirs)));
        m.put("seeds", seeds);
        m.put("test_accuracy_per_seed", ours);
        m.put("pytorch_test_accuracy_per_seed", theirs);
        m.put("train_samples_per_second", samplesPerSecond);
        return m;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}
