package io.ftpipe.cli.options;

import picocli.CommandLine.Option;

/** {@code --threads}: ONNX Runtime's intra-op threads for each session this process runs. */
public final class ThreadsOption {
    @Option(names = "--threads", description = "ONNX Runtime intra-op threads per session (default: ${DEFAULT-VALUE}).")
    private int threads;

    public ThreadsOption(int defaultThreads) {
        this.threads = defaultThreads;
    }

    public int value() {
        return threads;
    }
}
