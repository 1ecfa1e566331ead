package io.ftpipe.zoo.train;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.zoo.data.BatchOrder;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.UnitInfo;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.StageRuntime;
import io.ftpipe.zoo.stage.EvenPartition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model through its stage graphs in one process, stages one after another: the
 * reference for distributed training (same graphs, same data order, same optimizer per stage).
 */
public final class LocalTrainer {
    private static final int EVAL_BATCH = 500;

    private LocalTrainer() {
    }

    public static int[] evenBounds(Model model, int stages) {
        long[] flops = model.info().stream().mapToLong(UnitInfo::flops).toArray();
        return EvenPartition.split(flops, stages);
    }

    public static TrainResult train(Model model, TrainConfig c, Dataset train, Dataset test, TrainListener listener)
            throws OrtException {
        long started = System.nanoTime();
        int[] bounds = evenBounds(model, c.stages());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (LocalPipeline pipeline = new LocalPipeline(env, model, bounds, c.seed(), c.threads())) {
            List<Optimizer> optimizers = new ArrayList<>();
            pipeline.stages().forEach(s -> optimizers.add(c.optimizer().create()));
            int perEpoch = BatchOrder.batches(train.size(), c.batchSize());
            listener.started((long) perEpoch * c.epochs());

            int sampleSize = Math.toIntExact(Shapes.numel(model.inputShape()));
            float[] images = new float[c.batchSize() * sampleSize];
            long[] labels = new long[c.batchSize()];
            List<EpochResult> epochs = new ArrayList<>();
            long step = 0;
            double trainNanos = 0;
            for (int epoch = 0; epoch < c.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                int[] order = BatchOrder.permutation(train.size(), c.seed(), epoch);
                double lossSum = 0;
                long correct = 0;
                for (int b = 0; b < perEpoch; b++) {
                    int from = b * c.batchSize();
                    int n = Math.min(c.batchSize(), train.size() - from);
                    train.copyBatch(order, from, n, images, labels);
                    LocalPipeline.BatchResult r = pipeline.forwardBackward(images, labels, n);
                    for (int s = 0; s < optimizers.size(); s++) {
                        optimizers.get(s).step(pipeline.stages().get(s).store());
                    }
                    lossSum += r.loss() * n;
                    correct += r.correct();
                    listener.stepped(++step, r.loss());
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                trainNanos += System.nanoTime() - epochStart;
                LocalPipeline.BatchResult eval = evaluate(pipeline, test);
                EpochResult result = new EpochResult(epoch + 1, lossSum / train.size(),
                        (double) correct / train.size(), eval.loss(), (double) eval.correct() / test.size(), seconds);
                epochs.add(result);
                listener.evaluated(result);
            }
            long samples = (long) train.size() * c.epochs();
            return new TrainResult(model.name(), c, bounds, epochs, samples, samples / (trainNanos / 1e9),
                    (System.nanoTime() - started) / 1e9, weights(pipeline));
        }
    }

    /** Mean loss (as {@code loss}) and correct count over a whole data set, in evaluation mode. */
    public static LocalPipeline.BatchResult evaluate(LocalPipeline pipeline, Dataset data) throws OrtException {
        int sampleSize = Math.toIntExact(Shapes.numel(pipeline.model().inputShape()));
        float[] images = new float[EVAL_BATCH * sampleSize];
        long[] labels = new long[EVAL_BATCH];
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < data.size(); from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, data.size() - from);
            data.copyBatch(order, from, n, images, labels);
            LocalPipeline.BatchResult r = pipeline.evaluate(images, labels, n, null);
            lossSum += r.loss() * n;
            correct += r.correct();
        }
        return new LocalPipeline.BatchResult(lossSum / data.size(), correct);
    }

    private static Map<String, float[]> weights(LocalPipeline pipeline) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (StageRuntime s : pipeline.stages()) {
            out.putAll(s.store().snapshot());
        }
        return out;
    }
}
