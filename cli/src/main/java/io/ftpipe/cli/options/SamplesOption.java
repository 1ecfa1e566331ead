package io.ftpipe.cli.options;

import picocli.CommandLine.Option;

/** {@code --samples}: how many training samples a benchmark's job trains on. */
public final class SamplesOption {
    @Option(names = "--samples", description = "Training samples per job (default: ${DEFAULT-VALUE}).")
    private int samples;

    public SamplesOption(int defaultSamples) {
        this.samples = defaultSamples;
    }

    public int value() {
        return samples;
    }
}
