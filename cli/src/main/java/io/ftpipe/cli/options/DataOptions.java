package io.ftpipe.cli.options;

import io.ftpipe.broker.central.JobDefaults;
import picocli.CommandLine.Option;

/** {@code --synthetic} and {@code --limit}: which training samples a job reads. */
public final class DataOptions {
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
}
