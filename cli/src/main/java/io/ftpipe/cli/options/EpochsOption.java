package io.ftpipe.cli.options;

import picocli.CommandLine.Option;

/** {@code --epochs}: passes over the training set; each command chooses its default. */
public final class EpochsOption {
    @Option(names = "--epochs", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    private int epochs;

    public EpochsOption(int defaultEpochs) {
        this.epochs = defaultEpochs;
    }

    public int value() {
        return epochs;
    }
}
