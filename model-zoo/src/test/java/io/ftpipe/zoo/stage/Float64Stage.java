package io.ftpipe.zoo.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.ParamSpec;

import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs the compiled graphs of a whole model (one stage) on heap double arrays, for gradient checks. */
final class Float64Stage implements AutoCloseable {

    /** Loss, parameter gradients and the input gradient. */
    record Gradients(double loss, Map<String, double[]> params, double[] input) {
    }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final StageGraphs graphs;
    private final OrtSession forward;
    private final OrtSession backward;

    Float64Stage(StageGraphs graphs) throws OrtException {
        this.graphs = graphs;
        this.forward = env.createSession(graphs.forward().onnx());
        this.backward = env.createSession(graphs.backward().onnx());
    }

    double loss(Map<String, double[]> params, double[] x, long[] labels) throws OrtException {
        Map<String, OnnxTensor> in = inputs(graphs.forward(), params, x, labels);
        try (OrtSession.Result r = forward.run(in)) {
            return scalar(r, StageGraphs.LOSS);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    Gradients gradients(Map<String, double[]> params, double[] x, long[] labels) throws OrtException {
        Map<String, OnnxTensor> in = inputs(graphs.forward(), params, x, labels);
        try (OrtSession.Result f = forward.run(in)) {
            Map<String, OnnxTensor> bin = inputs(graphs.backward(), params, null, null);
            bin.put(StageGraphs.GRAD_OUTPUT, (OnnxTensor) f.get(StageGraphs.LOGITS_GRAD).orElseThrow());
            for (ForwardScope.Stash s : graphs.stash()) {
                bin.put(s.name(), (OnnxTensor) f.get(s.name()).orElseThrow());
            }
            try (OrtSession.Result b = backward.run(bin)) {
                Map<String, double[]> grads = new LinkedHashMap<>();
                for (String p : graphs.gradients()) {
                    grads.put(p, doubles(b.get(p + BackwardScope.GRAD).orElseThrow()));
                }
                double[] dx = graphs.inputGrad() ? doubles(b.get(StageGraphs.GRAD_INPUT).orElseThrow()) : null;
                return new Gradients(scalar(f, StageGraphs.LOSS), grads, dx);
            } finally {
                for (String p : graphs.backward().params()) {
                    bin.get(p).close();
                }
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private Map<String, OnnxTensor> inputs(StageGraphs.Graph graph, Map<String, double[]> params, double[] x,
                                           long[] labels) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        for (String p : graph.params()) {
            ParamSpec spec = graphs.params().get(p);
            in.put(p, OnnxTensor.createTensor(env, DoubleBuffer.wrap(params.get(p)), spec.shape()));
        }
        if (x != null) {
            long[] shape = new long[graphs.inputShape().length + 1];
            shape[0] = labels.length;
            System.arraycopy(graphs.inputShape(), 0, shape, 1, graphs.inputShape().length);
            in.put(StageGraphs.INPUT, OnnxTensor.createTensor(env, DoubleBuffer.wrap(x), shape));
            in.put(StageGraphs.LABELS, OnnxTensor.createTensor(env, LongBuffer.wrap(labels), new long[]{labels.length}));
        }
        return in;
    }

    private static double scalar(OrtSession.Result r, String name) throws OrtException {
        return ((OnnxTensor) r.get(name).orElseThrow()).getDoubleBuffer().get(0);
    }

    private static double[] doubles(OnnxValue v) {
        DoubleBuffer b = ((OnnxTensor) v).getDoubleBuffer();
        double[] out = new double[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() throws OrtException {
        forward.close();
        backward.close();
    }
}
