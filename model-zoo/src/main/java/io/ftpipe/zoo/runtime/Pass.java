package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The outputs of one forward, backward or evaluation run. Tensors it hands out live until it is
 * closed; a forward pass holds the stash its backward needs.
 */
public final class Pass implements AutoCloseable {
    private final OrtSession.Result result;

    Pass(OrtSession.Result result) {
        this.result = result;
    }

    public OnnxTensor tensor(String name) {
        return (OnnxTensor) result.get(name)
                .orElseThrow(() -> new IllegalStateException("graph has no output " + name));
    }

    public boolean has(String name) {
        return result.get(name).isPresent();
    }

    public float scalar(String name) throws OrtException {
        return tensor(name).getFloatBuffer().get(0);
    }

    public long count(String name) throws OrtException {
        return tensor(name).getLongBuffer().get(0);
    }

    @Override
    public void close() {
        result.close();
    }
}
