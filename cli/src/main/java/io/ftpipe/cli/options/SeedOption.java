package io.ftpipe.cli.options;

import picocli.CommandLine.Option;

/** {@code --seed}: the seed of the initial weights and the data order. */
public final class SeedOption {
    @Option(names = "--seed", description = "Seed of weights and data order (default: ${DEFAULT-VALUE}).")
    private long seed;

    public SeedOption(long defaultSeed) {
        this.seed = defaultSeed;
    }

    public long value() {
        return seed;
    }
}
