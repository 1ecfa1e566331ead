package io.ftpipe.cli.options;

import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.zoo.data.NormalizationChoice;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Which samples a job trains on: the user's data ({@code --data}) normalised as {@code --normalize}
 * says, or Fashion-MNIST, or generated samples ({@code --synthetic}); the first {@code --limit} of
 * them; and whether an imported model starts from its file's weights ({@code --init}).
 */
public final class DataOptions {
    @Option(names = {"--data", "--data-dir"}, paramLabel = "PATH",
            description = "The data set: a .npz (x_train, y_train, x_test, y_test), a .csv (a 'label' column, the "
                    + "rest features; a fifth held out for testing), or a folder of train.csv and test.csv or of "
                    + "IDX files as Fashion-MNIST's (default: Fashion-MNIST in /usr/share/datasets/fashion-mnist).")
    private Path data;

    @Option(names = "--normalize", defaultValue = JobDefaults.NORMALIZE, paramLabel = "auto|none|MEAN,STD",
            description = "Normalisation of --data: each channel's mean and deviation over the training set "
                    + "(auto), none, or MEAN,STD for every channel; recorded in the exported model "
                    + "(default: ${DEFAULT-VALUE}).")
    private String normalize;

    @Option(names = "--init", description = "An imported model starts from weights drawn from --seed, not from its "
            + "file's.")
    private boolean reinitialize;

    @Option(names = "--synthetic", paramLabel = "N", defaultValue = "" + JobDefaults.SYNTHETIC,
            description = "Train on N generated samples instead of Fashion-MNIST; 0 = off (default: ${DEFAULT-VALUE}).")
    private int synthetic;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + JobDefaults.LIMIT,
            description = "Use only the first N training samples; 0 = all (default: ${DEFAULT-VALUE}).")
    private int limit;

    public int synthetic() {
        return synthetic;
    }

    public int limit() {
        return limit;
    }

    /** The data set as an absolute path (it travels to a central node in another folder), or null. */
    public String data() {
        return data == null ? null : data.toAbsolutePath().toString();
    }

    /** @throws IllegalArgumentException if --normalize is not a normalisation, or --data and --synthetic are both given */
    public JobSpec.Sources sources() {
        if (data != null && synthetic > 0) {
            throw new IllegalArgumentException("--data and --synthetic exclude each other");
        }
        NormalizationChoice.parse(normalize);
        return new JobSpec.Sources(data(), normalize, reinitialize);
    }
}
