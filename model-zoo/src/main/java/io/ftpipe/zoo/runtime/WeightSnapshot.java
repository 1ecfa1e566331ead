package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A copy of a store's trainable weights at one version, for PipeDream-style weight stashing: a
 * micro-batch's backward must use the weights its forward used, while newer micro-batches'
 * updates keep changing the live ones.
 */
public final class WeightSnapshot implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors = new HashMap<>();

    public WeightSnapshot(OrtEnvironment env, ParamStore store) throws OrtException {
        try {
            for (ParamStore.Entry e : store.entries()) {
                if (e.spec().trainable()) {
                    FloatBuffer copy = ParamStore.direct(e.value().capacity());
                    copy.put(0, e.value(), 0, e.value().capacity());
                    tensors.put(e.name(), OnnxTensor.createTensor(env, copy, e.spec().shape()));
                }
            }
        } catch (OrtException | RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /** Tensors by parameter name, to run a graph with these weights instead of the live ones. */
    public Map<String, OnnxTensor> tensors() {
        return tensors;
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
    }
}
