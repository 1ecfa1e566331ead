package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.stage.StageGraphs;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.ftpipe.zoo.stage.StageGraphs.*;

/** Runs the float32 graphs of one stage with ONNX Runtime over a {@link ParamStore}. */
public final class StageRuntime implements AutoCloseable {
    private final StageGraphs graphs;
    private final ParamStore store;
    private final StageSessions sessions;
    private final boolean owned;
    private final Map<String, OnnxTensor> gradOutputs = new HashMap<>();

    /** Builds and owns sessions of its own. */
    public StageRuntime(OrtEnvironment env, StageGraphs graphs, ParamStore store, int threads) throws OrtException {
        this(StageSessions.open(env, graphs, threads), graphs, store, true);
    }

    /** Runs on {@code sessions}, which stay open when this runtime closes. */
    public StageRuntime(StageSessions sessions, StageGraphs graphs, ParamStore store) {
        this(sessions, graphs, store, false);
    }

    private StageRuntime(StageSessions sessions, StageGraphs graphs, ParamStore store, boolean owned) {
        this.graphs = graphs;
        this.store = store;
        this.sessions = sessions;
        this.owned = owned;
        for (String p : graphs.gradients()) {
            gradOutputs.put(p + BackwardScope.GRAD, store.get(p).gradTensor());
        }
    }

    public StageGraphs graphs() {
        return graphs;
    }

    public ParamStore store() {
        return store;
    }

    /**
     * Training forward. Buffer updates (BatchNorm running statistics) are applied to the store at
     * once, as PyTorch does. {@code labels} is used only by the last stage.
     */
    public Pass forward(OnnxTensor x, OnnxTensor labels) throws OrtException {
        return forward(x, labels, null);
    }

    /** Training forward with {@code weights} (a stashed version) instead of the live weights when not null. */
    public Pass forward(OnnxTensor x, OnnxTensor labels, WeightSnapshot weights) throws OrtException {
        return forward(x, labels, weights, buffer -> true);
    }

    /**
     * Training forward that updates only the buffers {@code updates} accepts (by full name): a
     * unit that already holds this micro-batch's update keeps its running statistics.
     */
    public Pass forward(OnnxTensor x, OnnxTensor labels, WeightSnapshot weights, Predicate<String> updates)
            throws OrtException {
        Pass pass = new Pass(sessions.forward.run(inputs(graphs.forward(), x, labels, weights)));
        for (String buffer : graphs.bufferUpdates()) {
            if (!updates.test(buffer)) {
                continue;
            }
            FloatBuffer next = pass.tensor(buffer + ForwardScope.NEXT).getFloatBuffer();
            store.get(buffer).value().put(0, next, 0, next.capacity());
        }
        return pass;
    }

    /**
     * Backward of a forward pass: parameter gradients are written into the store's gradient
     * buffers; the returned pass holds {@value StageGraphs#GRAD_INPUT} unless this stage computes none.
     */
    public Pass backward(Pass forwardPass, OnnxTensor dy) throws OrtException {
        return backward(forwardPass, dy, null);
    }

    /** Backward with the weights version its forward used ({@code null}: the live weights). */
    public Pass backward(Pass forwardPass, OnnxTensor dy, WeightSnapshot weights) throws OrtException {
        Map<String, OnnxTensor> in = params(graphs.backward(), weights);
        in.put(GRAD_OUTPUT, dy);
        for (ForwardScope.Stash s : graphs.stash()) {
            in.put(s.name(), forwardPass.tensor(s.name()));
        }
        Set<String> requested = graphs.inputGrad() ? Set.of(GRAD_INPUT) : Set.of();
        return new Pass(sessions.backward.run(in, requested, gradOutputs));
    }

    /** Evaluation forward (running statistics, no stash). */
    public Pass evaluate(OnnxTensor x, OnnxTensor labels) throws OrtException {
        return new Pass(sessions.eval.run(inputs(graphs.eval(), x, labels, null)));
    }

    private Map<String, OnnxTensor> inputs(StageGraphs.Graph graph, OnnxTensor x, OnnxTensor labels,
                                           WeightSnapshot weights) {
        Map<String, OnnxTensor> in = params(graph, weights);
        in.put(INPUT, x);
        if (graphs.last()) {
            in.put(LABELS, labels);
        }
        return in;
    }

    private Map<String, OnnxTensor> params(StageGraphs.Graph graph, WeightSnapshot weights) {
        Map<String, OnnxTensor> in = new HashMap<>();
        for (String p : graph.params()) {
            OnnxTensor stashed = weights == null ? null : weights.tensors().get(p);
            in.put(p, stashed != null ? stashed : store.get(p).valueTensor());
        }
        return in;
    }

    @Override
    public void close() throws OrtException {
        if (owned) {
            sessions.close();
        }
    }
}
