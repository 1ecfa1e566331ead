package io.ftpipe.zoo.optim;

import io.ftpipe.zoo.runtime.ParamStore;

import java.util.List;
import java.util.function.Predicate;

/** Adam with bias correction and L2 weight decay, as PyTorch's. */
final class Adam extends StatefulOptimizer {

    Adam(OptimizerConfig c) {
        super(c);
    }

    @Override
    public void step(ParamStore store, Predicate<String> steps) {
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float wd = (float) config.weightDecay();
        float eps = (float) config.eps();
        for (ParamStore.Entry e : store.entries()) {
            if (!e.spec().trainable() || !steps.test(e.name())) {
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
            float stepSize = (float) (config.lr() / (1 - Math.pow(config.beta1(), t)));
            float unbias2 = (float) (1 / Math.sqrt(1 - Math.pow(config.beta2(), t)));
            update(e, (w, g, count) -> {
                for (int i = 0; i < count; i++) {
                    float grad = g[i] + wd * w[i];
                    float mi = b1 * m[i] + (1 - b1) * grad;
                    float vi = b2 * v[i] + (1 - b2) * grad * grad;
                    m[i] = mi;
                    v[i] = vi;
                    w[i] -= stepSize * mi / ((float) Math.sqrt(vi) * unbias2 + eps);
                }
            });
            states.put(e.name(), new ParamState(t, s.slots()));
        }
    }
}
