package io.ftpipe.cli;

import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.train.TrainLocalReport;
import io.ftpipe.cli.train.TrainingProgress;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.DataOptions;
import io.ftpipe.cli.options.EpochsOption;
import io.ftpipe.cli.options.ModelOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.SeedOption;
import io.ftpipe.cli.options.ThreadsOption;
import io.ftpipe.cli.report.TrainingChart;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.zoo.data.DataFiles;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.data.TrainingSets;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.train.LocalTrainer;
import io.ftpipe.zoo.train.TrainConfig;
import io.ftpipe.zoo.train.TrainResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    private ModelOption model = new ModelOption("cnn");

    @Mixin
    private EpochsOption epochs = new EpochsOption(2);

    @Option(names = "--stages", defaultValue = "3",
            description = "Pipeline stages, split evenly by compute; at most the model's unit count (default: ${DEFAULT-VALUE}).")
    int stages;

    @Mixin
    private ReportOption report = new ReportOption("runs/train-local.json");

    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(64);

    @Option(names = "--optimizer", defaultValue = "adam", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.001 for adam, 0.05 for sgd).")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Mixin
    private SeedOption seed = new SeedOption(1);

    @Mixin
    private ThreadsOption threads = new ThreadsOption(2);

    /** With generated samples, it tests on a fifth as many as it trains on. */
    @Mixin
    private DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        TrainConfig config = validatedConfig();
        JobSpec.Sources sources;
        try {
            sources = data.sources();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // Cheap checks first: a bad model name or stage count should not wait for the data to load.
        LoadedModel loaded = Preflight.model(spec.commandLine(), model.name(), sources.reinitialize());
        Model net = loaded.model();
        LocalTrainer.evenBounds(net, stages);

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("loading " + (sources.data() == null && data.synthetic() == 0 ? FashionMnist.DEFAULT_DIR
                : sources.data() == null ? "generated samples" : sources.data()) + "...");
        err.flush();
        DataFiles.Loaded training = TrainingSets.load(sources.data(), data.synthetic(), data.limit(),
                sources.normalization(), net.inputShape(), net.classes(), seed.value(), FashionMnist.DEFAULT_DIR);
        out.printf("training %s in %d stage(s) on %d samples of %s (test: %d), %s%n", net.name(), stages,
                training.train().size(), training.source(), training.test().size(), describe(config.optimizer()));
        out.flush();

        TrainResult result;
        TrainingChart chart = new TrainingChart();
        try (TrainingProgress progress = new TrainingProgress(out, err, epochs.value(), training.train().size(), chart)) {
            result = LocalTrainer.train(net, config, training.train(), training.test(), progress);
        }

        Path reportFile = report.file().toAbsolutePath();
        Path modelFile = reportFile.resolveSibling("model.onnx");
        Path png = reportFile.resolveSibling(JobDriver.pngName(reportFile));
        loaded.export(result.weights(), training.normalization(), modelFile);
        JsonReports.write(reportFile, TrainLocalReport.of(net, result, training, modelFile.toString()));
        chart.write(png, net.name() + ", local, " + stages + " stage(s)");
        out.printf("test accuracy %.2f%%, %.0f samples/s; wrote %s, %s and %s%n", 100 * result.last().testAccuracy(),
                result.samplesPerSecond(), reportFile, png.getFileName(), modelFile);
        out.flush();
        return 0;
    }

    /** Checks the values picocli cannot: a wrong value is a usage error (exit 2), not a failed run. */
    private TrainConfig validatedConfig() {
        requireAtLeast("--epochs", epochs.value(), 1);
        requireAtLeast("--stages", stages, 1);
        requireAtLeast("--batch-size", batchSize.value(), 1);
        requireAtLeast("--threads", threads.value(), 1);
        requireAtLeast("--limit", data.limit(), 0);
        requireAtLeast("--synthetic", data.synthetic(), 0);
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
        return new TrainConfig(epochs.value(), batchSize.value(), stages, optimizerConfig, seed.value(),
                threads.value());
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
