package io.ftpipe.zoo.optim;

import io.ftpipe.zoo.runtime.ParamStore;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adam with bias correction and L2 weight decay, as PyTorch's. */
final class Adam implements Optimizer {
    private final OptimizerConfig c;
    private final Map<String, ParamState> states = new HashMap<>();

    Adam(OptimizerConfig c) {
        this.c = c;
    }

    @Override
    public void step(ParamStore store) {
        float b1 = (float) c.beta1();
        float b2 = (float) c.beta2();
        float wd = (float) c.weightDecay();
        float eps = (float) c.eps();
        for (ParamStore.Entry e : store.entries()) {
            if (!e.spec().trainable()) {
                continue;
            }
            int n = e.value().capacity();
            ParamState s = states.getOrDefault(e.name(), new ParamState(0, List.of(new float[n], new float[n])));
            long t = s.step() + 1;
            float[] m = s.slots().get(0);
            float[] v = s.slots().get(1);
            double stepSize = c.lr() / (1 - Math.pow(c.beta1(), t));
            float correction2 = (float) Math.sqrt(1 - Math.pow(c.beta2(), t));
            FloatBuffer w = e.value();
            FloatBuffer g = e.grad();
            for (int i = 0; i < n; i++) {
                float grad = g.get(i) + wd * w.get(i);
                m[i] = b1 * m[i] + (1 - b1) * grad;
                v[i] = b2 * v[i] + (1 - b2) * grad * grad;
                float denom = (float) Math.sqrt(v[i]) / correction2 + eps;
                w.put(i, (float) (w.get(i) - stepSize * m[i] / denom));
            }
            states.put(e.name(), new ParamState(t, s.slots()));
        }
    }

    @Override
    public ParamState state(String param) {
        return states.get(param);
    }

    @Override
    public void restore(String param, ParamState state) {
        states.put(param, state);
    }
}
