package io.ftpipe.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * What {@code bench compute} writes: its settings, one entry per model, with {@code --against-pytorch}
 * the comparison per model and PyTorch's version and BLAS, and the machine.
 */
public record BenchComputeReport(String benchmark, int batchSize, int iterations, int warmup, int threads, long seed,
                                 List<ComputeResult> models, List<PyTorchComparison> againstPytorch,
                                 String pytorchVersion, String pytorchBlas, Map<String, Object> machine) {
}
