package io.ftpipe.broker.central;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.plan.UnitCost;
import io.ftpipe.zoo.data.DataException;
import io.ftpipe.zoo.data.DataFiles;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.data.TrainingSets;
import io.ftpipe.zoo.importer.ImportOptions;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.train.LocalTrainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What a job trains on and what it makes: its model (a zoo model or the user's imported one), its
 * training and test sets (loaded in the background while the job waits for its devices), the
 * reference profile the planner costs units with, the evaluation of collected weights, and the
 * exported model.
 */
final class JobData {
    private final JobSpec spec;
    private final ExtensionConfig config;
    private final LoadedModel loaded;
    private CompletableFuture<DataFiles.Loaded> sets;

    JobData(JobSpec spec, ExtensionConfig config, LoadedModel loaded) {
        this.spec = spec;
        this.config = config;
        this.loaded = loaded;
    }

    /**
     * The job's model: a zoo model, or the ONNX file it imports, kept in the job's folder when the
     * job starts so that a restarted central node rebuilds the same model from it.
     */
    static LoadedModel model(JobSpec spec, JobDirectory files, boolean fresh) {
        if (!LoadedModel.isOnnxFile(spec.model())) {
            return LoadedModel.load(spec.model(), ImportOptions.defaults());
        }
        Path copy = files.importedModel();
        try {
            if (fresh) {
                Files.createDirectories(copy.getParent());
                Files.copy(Path.of(spec.model()), copy, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep a copy of " + spec.model() + " with the job", e);
        }
        return LoadedModel.load(copy.toString(), new ImportOptions(spec.sources().reinitialize()));
    }

    /** Checks that the data set is there (a missing one fails now, not once devices have joined), then loads it. */
    void load() {
        String data = spec.sources().data();
        if (spec.synthetic() == 0 && data == null) {
            FashionMnist.requirePresent(config.datasetDir());
        } else if (spec.synthetic() == 0 && !Files.exists(Path.of(data))) {
            throw new DataException(data + ": no such file or folder");
        }
        Model model = loaded.model();
        sets = CompletableFuture.supplyAsync(() -> TrainingSets.load(data, spec.synthetic(), spec.trainLimit(),
                spec.sources().normalization(), model.inputShape(), model.classes(), spec.seed(),
                config.datasetDir()));
    }

    Dataset train() {
        return loaded().train();
    }

    Dataset test() {
        return loaded().test();
    }

    /**
     * The reference profile measured with {@code threads} ONNX Runtime threads, as the devices run,
     * each boundary priced at the bytes the job's wire dtype sends.
     */
    List<UnitCost> profile(int threads) {
        try {
            return ReferenceProfile.costs(loaded.model(), spec.microBatchSize(), threads, config.dataDir()).stream()
                    .map(c -> new UnitCost(c.forwardBackwardMillis(), spec.wire().wireBytes(c.outputBytes()),
                            c.memoryBytes())).toList();
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot profile " + loaded.model().name() + ": " + e.getMessage(), e);
        }
    }

    /** What the central node feeds into the first stage per micro-batch, in the job's wire dtype. */
    long feedBytes() {
        long values = spec.microBatchSize();
        for (long d : loaded.model().inputShape()) {
            values *= d;
        }
        return spec.wire().wireBytes(Float.BYTES * values);
    }

    /** The weights of every unit evaluated on the test set. */
    LocalPipeline.BatchResult evaluate(Map<Integer, UnitState> states) throws Exception {
        Map<String, float[]> w = values(states);
        Model model = loaded.model();
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

    /** The trained model: the user's own graph if it was imported, else a plain inference model. */
    void export(Map<Integer, UnitState> states, Path file) throws IOException {
        loaded.export(values(states), loaded().normalization(), file);
    }

    private static Map<String, float[]> values(Map<Integer, UnitState> states) {
        Map<String, float[]> all = new LinkedHashMap<>();
        states.values().forEach(u -> all.putAll(u.values()));
        return all;
    }

    /** What was loaded in the background, or what stopped it loading (a bad file, say). */
    private DataFiles.Loaded loaded() {
        try {
            return sets.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
