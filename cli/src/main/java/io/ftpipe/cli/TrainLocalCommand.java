package io.ftpipe.cli;

import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.train.TrainLocalReport;
import io.ftpipe.cli.train.TrainingData;
import io.ftpipe.cli.train.TrainingProgress;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.report.TrainingChart;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.export.InferenceExporter;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.train.LocalTrainer;
import io.ftpipe.zoo.train.TrainConfig;
import io.ftpipe.zoo.train.TrainResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe train-local}: trains a model split into stages, all in this process, then writes
 * a JSON report and the trained model as an inference {@code model.onnx} beside it.
 */
@Command(name = "train-local",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Train a model split into pipeline stages, all stages in this process.",
                "Writes the report and model.onnx (the trained model for inference) into the report's directory."})
public final class TrainLocalCommand implements Callable<Integer> {

    /** The optimizers; lower-case because the constants are also how they are spelled on the command line. */
    enum OptimizerKind {
        sgd(0.05), adam(0.001);

        final double defaultLr;

        OptimizerKind(double defaultLr) {
            this.defaultLr = defaultLr;
        }
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "cnn", description = "Model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--epochs", defaultValue = "2", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--stages", defaultValue = "3",
            description = "Pipeline stages, split evenly by compute; at most the model's unit count (default: ${DEFAULT-VALUE}).")
    int stages;

    @Option(names = "--report", defaultValue = "runs/train-local.json",
            description = "Where to write the JSON report; model.onnx goes beside it (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--batch-size", defaultValue = "64", description = "Samples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.001 for adam, 0.05 for sgd).")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of weights and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2",
            description = "ONNX Runtime threads per stage session (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--data-dir", description = "Directory of the Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist).")
    Path dataDir;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N training samples; 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--synthetic", defaultValue = "0", paramLabel = "N",
            description = "Train on N generated samples (test on N/5) instead of Fashion-MNIST; 0 = off (default: ${DEFAULT-VALUE}).")
    int synthetic;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = validatedConfig();
        // Cheap checks first: a bad model name or stage count should not wait for 60000 images to load.
        Model net = ModelZoo.create(model);
        LocalTrainer.evenBounds(net, stages);

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainingData data;
        if (synthetic > 0) {
            data = TrainingData.synthetic(synthetic, seed, limit);
        } else {
            Path dir = dataDir == null ? FashionMnist.DEFAULT_DIR : dataDir;
            err.println("loading Fashion-MNIST from " + dir + "...");
            err.flush();
            data = TrainingData.fashionMnist(dir, limit);
        }
        out.printf("training %s in %d stage(s) on %d %s samples (test: %d), %s%n", net.name(), stages,
                data.train().size(), data.source(), data.test().size(), describe(config.optimizer()));
        out.flush();

        TrainResult result;
        TrainingChart chart = new TrainingChart();
        try (TrainingProgress progress = new TrainingProgress(out, err, epochs, data.train().size(), chart)) {
            result = LocalTrainer.train(net, config, data.train(), data.test(), progress);
        }

        Path reportFile = report.toAbsolutePath();
        Path modelFile = reportFile.resolveSibling("model.onnx");
        Path png = reportFile.resolveSibling(JobDriver.pngName(reportFile));
        InferenceExporter.write(net, result.weights(), modelFile);
        JsonReports.write(reportFile, TrainLocalReport.of(net, result, data, modelFile.toString()));
        chart.write(png, net.name() + ", local, " + stages + " stage(s)");
        out.printf("test accuracy %.2f%%, %.0f samples/s; wrote %s, %s and %s%n", 100 * result.last().testAccuracy(),
                result.samplesPerSecond(), reportFile, png.getFileName(), modelFile);
        out.flush();
        return 0;
    }

    /** Checks the values picocli cannot: a wrong value is a usage error (exit 2), not a failed run. */
    private TrainConfig validatedConfig() {
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--stages", stages, 1);
        requireAtLeast("--batch-size", batchSize, 1);
        requireAtLeast("--threads", threads, 1);
        requireAtLeast("--limit", limit, 0);
        requireAtLeast("--synthetic", synthetic, 0);
        if (synthetic > 0 && dataDir != null) {
            throw usage("--synthetic and --data-dir exclude each other");
        }
        double rate = lr == null ? optimizer.defaultLr : lr;
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw usage("--lr must be a positive number, got " + rate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw usage("--momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw usage("--weight-decay must be >= 0, got " + weightDecay);
        }
        OptimizerConfig optimizerConfig = optimizer == OptimizerKind.sgd
                ? OptimizerConfig.sgd(rate, momentum, weightDecay)
                : OptimizerConfig.adam(rate, weightDecay);
        return new TrainConfig(epochs, batchSize, stages, optimizerConfig, seed, threads);
    }

    private void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw usage(option + " must be at least " + min + ", got " + value);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String describe(OptimizerConfig o) {
        return o.kind().equals("sgd")
                ? String.format("sgd lr=%s momentum=%s weight_decay=%s", o.lr(), o.momentum(), o.weightDecay())
                : String.format("adam lr=%s weight_decay=%s", o.lr(), o.weightDecay());
    }
}
