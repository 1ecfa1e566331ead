package io.ftpipe.cli.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.export.InferenceExporter;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.UnitInfo;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.ParamStore;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Measures one model's forward, training step and exported forward on one batch of synthetic
 * images. The whole model is one stage, so the numbers are the model's own cost, free of any
 * stage boundary.
 */
public final class ComputeBenchmark {

    /** What is measured {@code warmup + iterations} times: one batch through something. */
    @FunctionalInterface
    private interface Run {
        void once() throws OrtException;
    }

    private final OrtEnvironment env;
    private final int batchSize;
    private final int iterations;
    private final int warmup;
    private final int threads;
    private final long seed;

    public ComputeBenchmark(OrtEnvironment env, int batchSize, int iterations, int warmup, int threads, long seed) {
        this.env = env;
        this.batchSize = batchSize;
        this.iterations = iterations;
        this.warmup = warmup;
        this.threads = threads;
        this.seed = seed;
    }

    /** How many batches {@link #measure} runs, for a progress bar. */
    public long steps() {
        return 3L * (warmup + iterations);
    }

    /** @param step called after every batch, measured or warm-up */
    public ComputeResult measure(Model model, Runnable step) throws OrtException {
        Dataset data = SyntheticDataset.generate(batchSize, seed);
        float[] images = new float[Math.toIntExact(batchSize * Shapes.numel(model.inputShape()))];
        long[] labels = new long[batchSize];
        data.copyBatch(identity(batchSize), 0, batchSize, images, labels);

        try (LocalPipeline pipeline = new LocalPipeline(env, model, new int[]{0, model.size()}, seed, threads)) {
            ParamStore store = pipeline.stages().get(0).store();
            Optimizer adam = OptimizerConfig.adam(1e-3, 0).create();

            Timings forward = time(() -> pipeline.evaluate(images, labels, batchSize, null), step);
            // The optimizer's share is timed inside each step too: it runs in Java, not in ONNX Runtime,
            // and a slow one would otherwise hide in the train step.
            long[] optimizerNanos = new long[warmup + iterations];
            int[] calls = {0};
            Timings trainStep = time(() -> {
                pipeline.forwardBackward(images, labels, batchSize);
                long start = System.nanoTime();
                adam.step(store);
                optimizerNanos[calls[0]++] = System.nanoTime() - start;
            }, step);
            Timings optimizer = Timings.of(Arrays.copyOfRange(optimizerNanos, warmup, optimizerNanos.length));
            Timings exported = timeExported(model, store.snapshot(), images, step);

            long params = model.info().stream().mapToLong(UnitInfo::paramCount).sum();
            return ComputeResult.of(model.name(), model.size(), params, batchSize, forward, trainStep,
                    optimizer, exported);
        }
    }

    /**
     * The inference model as {@code train-local} exports it, in a session set up like a stage's.
     * The input tensor is made from the heap array inside the loop, as {@link LocalPipeline} does,
     * so both forwards pay the same copy.
     */
    private Timings timeExported(Model model, Map<String, float[]> weights, float[] images, Runnable step)
            throws OrtException {
        long[] shape = Shapes.batched(model.inputShape());
        shape[0] = batchSize;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(InferenceExporter.toOnnx(model, weights), options)) {
                return time(() -> {
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), shape);
                         OrtSession.Result ignored = session.run(Map.of(InferenceExporter.INPUT, x))) {
                        // Only the time matters.
                    }
                }, step);
            }
        }
    }

    private Timings time(Run run, Runnable step) throws OrtException {
        for (int i = 0; i < warmup; i++) {
            run.once();
            step.run();
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            run.once();
            nanos[i] = System.nanoTime() - start;
            step.run();
        }
        return Timings.of(nanos);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
