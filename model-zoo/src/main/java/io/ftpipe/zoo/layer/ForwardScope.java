package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a layer sees while it emits its forward pass: the graph, its parameters, the stash. */
public final class ForwardScope {

    /** A value carried from the forward graph to the backward graph. */
    public record Stash(String name, DType type) {
    }

    /** State shared by all scopes of one graph. */
    public static final class Graph {
        final GraphBuilder g;
        final boolean training;
        final Map<String, ParamSpec> params;
        final List<String> declared = new ArrayList<>();
        final List<Stash> stashes = new ArrayList<>();
        final List<String> bufferUpdates = new ArrayList<>();
        final Map<String, float[]> frozen;

        public Graph(GraphBuilder g, boolean training, Map<String, ParamSpec> params) {
            this(g, training, params, null);
        }

        /** With {@code frozen} values, parameters become initializers (an inference model), not inputs. */
        public Graph(GraphBuilder g, boolean training, Map<String, ParamSpec> params, Map<String, float[]> frozen) {
            this.g = g;
            this.training = training;
            this.params = new LinkedHashMap<>(params);
            this.frozen = frozen;
        }

        public GraphBuilder g() {
            return g;
        }

        public boolean training() {
            return training;
        }

        public List<String> declaredParams() {
            return declared;
        }

        public List<Stash> stashes() {
            return stashes;
        }

        public List<String> bufferUpdates() {
            return bufferUpdates;
        }
    }

    public static final String STASH = "stash";
    public static final String NEXT = ".next";

    private final Graph graph;
    private final String prefix;
    private int stashCount;

    public ForwardScope(Graph graph, String prefix) {
        this.graph = graph;
        this.prefix = prefix;
    }

    public GraphBuilder g() {
        return graph.g;
    }

    /** Training forward (batch statistics, stash) or evaluation forward (running statistics). */
    public boolean training() {
        return graph.training;
    }

    public ForwardScope child(String name) {
        return new ForwardScope(graph, prefix + name + ".");
    }

    /** The graph input holding parameter {@code local}, declared on first use. */
    public String param(String local) {
        String name = prefix + local;
        if (graph.frozen != null && !graph.g.hasInput(name)) {
            return graph.g.initializer(name, graph.params.get(name).shape(), graph.frozen.get(name));
        }
        return declareParam(graph.g, graph.params, graph.declared, name);
    }

    static String declareParam(GraphBuilder g, Map<String, ParamSpec> params, List<String> declared, String name) {
        if (!g.hasInput(name)) {
            ParamSpec spec = params.get(name);
            if (spec == null) {
                throw new IllegalStateException("no parameter " + name);
            }
            g.input(name, spec.shape());
            declared.add(name);
        }
        return name;
    }

    /** Keeps {@code value} for the backward pass (k-th call: {@link BackwardScope#stashed}(k)). */
    public void stash(String value, DType type) {
        if (!graph.training) {
            return;
        }
        String name = prefix + STASH + (stashCount++);
        graph.g.output(value, name, type);
        graph.stashes.add(new Stash(name, type));
    }

    public void stash(String value) {
        stash(value, graph.g.dtype());
    }

    /** Publishes the new value of buffer {@code local} (e.g. a running mean) as output {@code <name>.next}. */
    public void updateBuffer(String local, String value) {
        String name = prefix + local;
        graph.g.output(value, name + NEXT);
        graph.bufferUpdates.add(name);
    }
}
