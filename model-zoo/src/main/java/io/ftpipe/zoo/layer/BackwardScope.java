package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a layer sees while it emits its backward pass: the graph, parameters, stash, gradients. */
public final class BackwardScope {

    public static final String GRAD = ".grad";

    /** State shared by all scopes of one graph. */
    public static final class Graph {
        final GraphBuilder g;
        final Map<String, ParamSpec> params;
        final Map<String, DType> stashTypes = new LinkedHashMap<>();
        final List<String> declared = new ArrayList<>();
        final List<String> grads = new ArrayList<>();

        public Graph(GraphBuilder g, Map<String, ParamSpec> params, List<ForwardScope.Stash> stashes) {
            this.g = g;
            this.params = params;
            for (ForwardScope.Stash s : stashes) {
                stashTypes.put(s.name(), s.type());
            }
        }

        public List<String> declaredParams() {
            return declared;
        }

        /** Names of the parameters whose gradients are outputs, in output order. */
        public List<String> gradients() {
            return grads;
        }
    }

    private final Graph graph;
    private final String prefix;
    private final boolean needsInputGrad;

    public BackwardScope(Graph graph, String prefix, boolean needsInputGrad) {
        this.graph = graph;
        this.prefix = prefix;
        this.needsInputGrad = needsInputGrad;
    }

    public GraphBuilder g() {
        return graph.g;
    }

    /** False for the first layer of the first stage: nobody needs the gradient of the data. */
    public boolean needsInputGrad() {
        return needsInputGrad;
    }

    public BackwardScope child(String name, boolean childNeedsInputGrad) {
        return new BackwardScope(graph, prefix + name + ".", childNeedsInputGrad);
    }

    public String param(String local) {
        return ForwardScope.declareParam(graph.g, graph.params, graph.declared, prefix + local);
    }

    /** The k-th value this layer stashed in its forward pass. */
    public String stashed(int k) {
        return stashed(k, null);
    }

    /**
     * The k-th stash, declared with its shape (a negative dimension is the batch). Known shapes let
     * ONNX Runtime prove that two tensors match, which its blocked-layout (NCHWc) rewrite of an
     * elementwise product needs.
     */
    public String stashed(int k, long[] shape) {
        String name = prefix + ForwardScope.STASH + k;
        if (!graph.g.hasInput(name)) {
            DType type = graph.stashTypes.get(name);
            if (type == null) {
                throw new IllegalStateException("forward did not stash " + name);
            }
            if (shape == null) {
                graph.g.inputAnyShape(name, type);
            } else {
                graph.g.input(name, type, shape);
            }
        }
        return name;
    }

    /** Registers {@code value} as the gradient of parameter {@code local}. */
    public void grad(String local, String value) {
        String name = prefix + local;
        graph.g.output(value, name + GRAD);
        graph.grads.add(name);
    }
}
