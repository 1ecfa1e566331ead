package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.stage.StageCompiler;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.ftpipe.zoo.stage.StageGraphs.*;

/**
 * All stages of a model in one process, run one after another: the reference that distributed
 * training is compared against, and the engine of {@code train-local}.
 */
public final class LocalPipeline implements AutoCloseable {

    /** Mean loss and correct predictions of one batch. */
    public record BatchResult(double loss, long correct) {
    }

    private final OrtEnvironment env;
    private final Model model;
    private final List<StageRuntime> stages = new ArrayList<>();

    /** @param bounds stage boundaries: stage s holds units [bounds[s], bounds[s+1]) */
    public LocalPipeline(OrtEnvironment env, Model model, int[] bounds, long seed, int threads) throws OrtException {
        this.env = env;
        this.model = model;
        try {
            for (int s = 0; s + 1 < bounds.length; s++) {
                var graphs = StageCompiler.compile(model, bounds[s], bounds[s + 1]);
                ParamStore store = ParamStore.initialize(env, graphs.params().values(), seed);
                stages.add(new StageRuntime(env, graphs, store, threads));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public List<StageRuntime> stages() {
        return stages;
    }

    public Model model() {
        return model;
    }

    /** Forward and backward of one batch; gradients land in each stage's store. */
    public BatchResult forwardBackward(float[] images, long[] labels, int n) throws OrtException {
        List<Pass> passes = new ArrayList<>();
        try (OnnxTensor x = images(images, n); OnnxTensor y = labels(labels, n)) {
            OnnxTensor in = x;
            for (StageRuntime stage : stages) {
                Pass p = stage.forward(in, y);
                passes.add(p);
                in = stage.graphs().last() ? null : p.tensor(OUTPUT);
            }
            Pass head = passes.get(passes.size() - 1);
            BatchResult result = new BatchResult(head.scalar(LOSS), head.count(CORRECT));
            OnnxTensor dy = head.tensor(LOGITS_GRAD);
            for (int s = stages.size() - 1; s >= 0; s--) {
                Pass b = stages.get(s).backward(passes.get(s), dy);
                passes.add(b);
                dy = s > 0 ? b.tensor(GRAD_INPUT) : null;
            }
            return result;
        } finally {
            passes.forEach(Pass::close);
        }
    }

    /** Evaluation forward of one batch; {@code logitsOut} (n * classes) may be null. */
    public BatchResult evaluate(float[] images, long[] labels, int n, float[] logitsOut) throws OrtException {
        List<Pass> passes = new ArrayList<>();
        try (OnnxTensor x = images(images, n); OnnxTensor y = labels(labels, n)) {
            OnnxTensor in = x;
            for (StageRuntime stage : stages) {
                Pass p = stage.evaluate(in, y);
                passes.add(p);
                in = stage.graphs().last() ? null : p.tensor(OUTPUT);
            }
            Pass head = passes.get(passes.size() - 1);
            if (logitsOut != null) {
                head.tensor(LOGITS).getFloatBuffer().get(logitsOut, 0, n * model.classes());
            }
            return new BatchResult(head.scalar(LOSS), head.count(CORRECT));
        } finally {
            passes.forEach(Pass::close);
        }
    }

    private OnnxTensor images(float[] images, int n) throws OrtException {
        long[] shape = new long[model.inputShape().length + 1];
        shape[0] = n;
        System.arraycopy(model.inputShape(), 0, shape, 1, model.inputShape().length);
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(images, 0, Math.toIntExact(n * Shapes.numel(model.inputShape()))),
                shape);
    }

    private OnnxTensor labels(long[] labels, int n) throws OrtException {
        return OnnxTensor.createTensor(env, LongBuffer.wrap(labels, 0, n), new long[]{n});
    }

    @Override
    public void close() throws OrtException {
        for (StageRuntime s : stages) {
            s.close();
            s.store().close();
        }
    }
}
