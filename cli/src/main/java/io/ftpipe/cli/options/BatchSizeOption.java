package io.ftpipe.cli.options;

import picocli.CommandLine.Option;

/** {@code --batch-size}: samples per step; each command chooses its default and checks the value. */
public final class BatchSizeOption {
    @Option(names = "--batch-size", description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    public BatchSizeOption(int defaultSize) {
        this.batchSize = defaultSize;
    }

    public int value() {
        return batchSize;
    }
}
