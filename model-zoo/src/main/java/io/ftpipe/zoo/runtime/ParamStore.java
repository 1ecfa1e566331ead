package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.zoo.layer.ParamSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The parameters, buffers and gradients of one stage, in direct native-order buffers that ONNX
 * Runtime tensors share (no copies): an in-place optimizer step is seen by the next run, and
 * backward writes gradients straight into {@link Entry#grad()}.
 */
public final class ParamStore implements AutoCloseable {

    /** One parameter or buffer; gradient fields are null for buffers. */
    public record Entry(ParamSpec spec, FloatBuffer value, OnnxTensor valueTensor, FloatBuffer grad,
                        OnnxTensor gradTensor) {
        public String name() {
            return spec.name();
        }

        public float[] read() {
            float[] out = new float[value.capacity()];
            value.get(0, out);
            return out;
        }

        public void write(float[] data) {
            if (data.length != value.capacity()) {
                throw new IllegalArgumentException(name() + ": expected " + value.capacity() + " values, got "
                        + data.length);
            }
            value.put(0, data);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ParamStore() {
    }

    /**
     * Creates the store with initial values drawn from {@code seed} and each parameter's name, so
     * that any split of a model into stages starts from the same weights.
     */
    public static ParamStore initialize(OrtEnvironment env, Collection<ParamSpec> specs, long seed)
            throws OrtException {
        ParamStore store = new ParamStore();
        try {
            for (ParamSpec spec : specs) {
                FloatBuffer value = direct(spec.size());
                value.put(0, initialValues(spec, seed));
                FloatBuffer grad = spec.trainable() ? direct(spec.size()) : null;
                OnnxTensor gradTensor = grad == null ? null : OnnxTensor.createTensor(env, grad, spec.shape());
                store.entries.put(spec.name(), new Entry(spec, value, OnnxTensor.createTensor(env, value, spec.shape()),
                        grad, gradTensor));
            }
        } catch (OrtException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter " + name + " in this stage");
        }
        return e;
    }

    public Collection<Entry> entries() {
        return entries.values();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Copies of all values, by name. */
    public Map<String, float[]> snapshot() {
        Map<String, float[]> out = new LinkedHashMap<>();
        entries.values().forEach(e -> out.put(e.name(), e.read()));
        return out;
    }

    static FloatBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * A parameter's initial values: its given values (an imported model's), or a pure function of
     * the seed and the parameter's name.
     */
    public static float[] initialValues(ParamSpec spec, long seed) {
        if (spec.initial() != null) {
            return spec.initial().clone();
        }
        float[] v = new float[spec.size()];
        if (spec.uniformBound() == 0) {
            java.util.Arrays.fill(v, (float) spec.constant());
            return v;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + spec.name().hashCode());
        double b = spec.uniformBound();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(-b, b);
        }
        return v;
    }

    @Override
    public void close() {
        for (Entry e : entries.values()) {
            e.valueTensor().close();
            if (e.gradTensor() != null) {
                e.gradTensor().close();
            }
        }
    }
}
