package io.ftpipe.cli.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ftpipe.zoo.export.InferenceExporter;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.UnitInfo;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.runtime.StageSessions;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Measures one model's forward, training step and exported forward on one batch of synthetic
 * images. The whole model is one stage, so the numbers are the model's own cost, free of any
 * stage boundary.
 */
public final class ComputeBenchmark {

    /** What is measured: one batch through something. */
    @FunctionalInterface
    private interface Run {
        void once() throws OrtException;
    }

    private static final int BLOCK = 10;

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
        long turns = (iterations + BLOCK - 1) / BLOCK;
        return 3L * (warmup + iterations + turns - 1);
    }

    /** @param step called after every batch, measured or warm-up */
    public ComputeResult measure(Model model, Runnable step) throws OrtException {
        // Random inputs of the model's own shape and labels of its own classes: the times do not
        // depend on the values, and an imported model need not take 28x28 images.
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] images = new float[Math.toIntExact(batchSize * Shapes.numel(model.inputShape()))];
        long[] labels = new long[batchSize];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < batchSize; i++) {
            labels[i] = random.nextInt(model.classes());
        }

        long[] shape = Shapes.batched(model.inputShape());
        shape[0] = batchSize;
        try (LocalPipeline pipeline = new LocalPipeline(env, model, new int[]{0, model.size()}, seed, threads);
             OrtSession exported = exportedSession(model, pipeline.stages().get(0).store().snapshot())) {
            ParamStore store = pipeline.stages().get(0).store();
            Optimizer adam = OptimizerConfig.adam(1e-3, 0).create();

            // The optimizer's share is timed inside each step too: it runs in Java, not in ONNX Runtime,
            // and a slow one would otherwise hide in the train step. Its median is over every call
            // after the first warm-ups, the later turns' single warm-up runs included.
            long[] optimizerNanos = new long[Math.toIntExact(steps() / 3)];
            int[] calls = {0};
            Timings[] timed = timeInTurns(step,
                    () -> pipeline.evaluate(images, labels, batchSize, null),
                    () -> {
                        pipeline.forwardBackward(images, labels, batchSize);
                        long start = System.nanoTime();
                        adam.step(store);
                        optimizerNanos[calls[0]++] = System.nanoTime() - start;
                    },
                    () -> {
                        // The input is made from the heap array each time, as LocalPipeline does, so
                        // both forwards pay the same copy.
                        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), shape);
                             OrtSession.Result ignored = exported.run(Map.of(InferenceExporter.INPUT, x))) {
                            // Only the time matters.
                        }
                    });
            Timings optimizer = Timings.of(Arrays.copyOfRange(optimizerNanos, warmup, calls[0]));

            long params = model.info().stream().mapToLong(UnitInfo::paramCount).sum();
            return ComputeResult.of(model.name(), model.size(), params, batchSize, timed[0], timed[1],
                    optimizer, timed[2]);
        }
    }

    /**
     * The inference model as {@code train-local} exports it, in a session set up like a stage's.
     * With ONNX Runtime's default options its idle threads would spin and take the cores from the
     * next runs measured (the evaluation forward of cnn measured 30-50 % slow that way).
     */
    private OrtSession exportedSession(Model model, Map<String, float[]> weights) throws OrtException {
        try (OrtSession.SessionOptions options = StageSessions.options(threads)) {
            return env.createSession(InferenceExporter.toOnnx(model, weights), options);
        }
    }

    /**
     * Times the runs in turns of {@value #BLOCK} back-to-back runs each, so that a machine getting
     * faster or slower (a shared or throttled host) shifts all alike and their ratios stay fair,
     * while each run still meets the warm caches it would meet in a loop of its own. Each turn
     * starts with an unmeasured run ({@code warmup} of them the first time).
     */
    private Timings[] timeInTurns(Runnable step, Run... runs) throws OrtException {
        long[][] nanos = new long[runs.length][iterations];
        for (int done = 0; done < iterations; done += BLOCK) {
            for (int r = 0; r < runs.length; r++) {
                for (int w = 0; w < (done == 0 ? warmup : 1); w++) {
                    runs[r].once();
                    step.run();
                }
                for (int i = done; i < Math.min(done + BLOCK, iterations); i++) {
                    long start = System.nanoTime();
                    runs[r].once();
                    nanos[r][i] = System.nanoTime() - start;
                    step.run();
                }
            }
        }
        Timings[] timings = new Timings[runs.length];
        for (int r = 0; r < runs.length; r++) {
            timings[r] = Timings.of(nanos[r]);
        }
        return timings;
    }

}
