package io.ftpipe.zoo.optim;

import io.ftpipe.zoo.runtime.ParamStore;

import java.nio.FloatBuffer;
import java.util.List;

/** Adam with bias correction and L2 weight decay, as PyTorch's. */
final class Adam extends StatefulOptimizer {

    Adam(OptimizerConfig c) {
        super(c);
    }

    @Override
    public void step(ParamStore store) {
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float wd = (float) config.weightDecay();
        float eps = (float) config.eps();
        for (ParamStore.Entry e : store.entries()) {
            if (!e.spec().trainable()) {
                continue;
            }
            int n = e.value().capacity();
            ParamState s = states.get(e.name());
            if (s == null) {
                s = new ParamState(0, List.of(new float[n], new float[n]));
            }
            long t = s.step() + 1;
            float[] m = s.slots().get(0);
            float[] v = s.slots().get(1);
            double stepSize = config.lr() / (1 - Math.pow(config.beta1(), t));
            float correction2 = (float) Math.sqrt(1 - Math.pow(config.beta2(), t));
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
}
