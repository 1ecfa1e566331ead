package io.ftpipe.broker.central;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.plan.UnitCost;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.export.InferenceExporter;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.train.LocalTrainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What a job trains on and what it makes: its model, its training and test sets (loaded in the
 * background while the job waits for its devices), the reference profile the planner costs units
 * with, the evaluation of collected weights, and the exported model.
 */
final class JobData {
    private final JobSpec spec;
    private final ExtensionConfig config;
    private final Model model;
    private CompletableFuture<Dataset> train;
    private CompletableFuture<Dataset> test;

    JobData(JobSpec spec, ExtensionConfig config, Model model) {
        this.spec = spec;
        this.config = config;
        this.model = model;
    }

    /**
     * Starts loading. The test set loads after the training set, not beside it: on JDK 17 a large
     * allocation that needs a GC while another thread keeps entering the inflater's JNI critical
     * sections can fail with OutOfMemoryError ("Retried waiting for GCLocker too often"), as one
     * bench JVM did.
     */
    void load() {
        if (spec.synthetic() == 0) {
            FashionMnist.requirePresent(config.datasetDir());
        }
        train = CompletableFuture.supplyAsync(() -> (spec.synthetic() > 0
                ? SyntheticDataset.generate(spec.synthetic(), spec.seed())
                : FashionMnist.train(config.datasetDir())).limit(spec.trainLimit()));
        test = train.thenApplyAsync(loaded -> spec.synthetic() > 0
                ? SyntheticDataset.generate(Math.max(100, spec.synthetic() / 5), spec.seed() + 1)
                : FashionMnist.test(config.datasetDir()));
    }

    Dataset train() {
        return loaded(train);
    }

    Dataset test() {
        return loaded(test);
    }

    /** The reference profile measured with {@code threads} ONNX Runtime threads, as the devices run. */
    List<UnitCost> profile(int threads) {
        try {
            return ReferenceProfile.costs(model, spec.microBatchSize(), threads, config.dataDir());
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot profile " + model.name() + ": " + e.getMessage(), e);
        }
    }

    /** The weights of every unit evaluated on the test set. */
    LocalPipeline.BatchResult evaluate(Map<Integer, UnitState> states) throws Exception {
        Map<String, float[]> w = values(states);
        try (LocalPipeline p = new LocalPipeline(OrtEnvironment.getEnvironment(), model, new int[]{0, model.size()},
                spec.seed(), config.threads())) {
            for (ParamStore.Entry e : p.stages().get(0).store().entries()) {
                float[] v = w.get(e.name());
                if (v == null) {
                    throw new IllegalStateException("no stage sent the weights of " + e.name());
                }
                e.write(v);
            }
            return LocalTrainer.evaluate(p, test());
        }
    }

    /** The trained model as a plain inference model. */
    void export(Map<Integer, UnitState> states, Path file) throws IOException {
        InferenceExporter.write(model, values(states), file);
    }

    private static Map<String, float[]> values(Map<Integer, UnitState> states) {
        Map<String, float[]> all = new LinkedHashMap<>();
        states.values().forEach(u -> all.putAll(u.values()));
        return all;
    }

    /** What was loaded in the background, or what stopped it loading (a missing file, say). */
    private static <T> T loaded(CompletableFuture<T> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
