package io.ftpipe.cli.bench;

import java.util.List;
import java.util.Map;

/** What {@code bench compute} writes: its settings, one entry per model, and the machine. */
public record BenchComputeReport(String benchmark, int batchSize, int iterations, int warmup, int threads, long seed,
                                 List<ComputeResult> models, Map<String, Object> machine) {
}
