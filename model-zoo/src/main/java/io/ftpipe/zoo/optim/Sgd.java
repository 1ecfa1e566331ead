package io.ftpipe.zoo.optim;

import io.ftpipe.zoo.runtime.ParamStore;

import java.util.List;
import java.util.function.Predicate;

/** SGD with momentum and L2 weight decay, as PyTorch's: v = m*v + (g + wd*w); w -= lr*v. */
final class Sgd extends StatefulOptimizer {

    Sgd(OptimizerConfig c) {
        super(c);
    }

    @Override
    public void step(ParamStore store, Predicate<String> steps) {
        float lr = (float) config.lr();
        float mu = (float) config.momentum();
        float wd = (float) config.weightDecay();
        for (ParamStore.Entry e : store.entries()) {
            if (!e.spec().trainable() || !steps.test(e.name())) {
                continue;
            }
            ParamState s = states.get(e.name());
            boolean first = s == null;
            if (first) {
                s = new ParamState(0, List.of(new float[e.value().capacity()]));
            }
            float[] v = s.slots().get(0);
            update(e, (w, g, n) -> {
                for (int i = 0; i < n; i++) {
                    float grad = g[i] + wd * w[i];
                    // PyTorch starts the momentum buffer at the first gradient.
                    v[i] = first ? grad : mu * v[i] + grad;
                    w[i] -= lr * v[i];
                }
            });
            states.put(e.name(), new ParamState(s.step() + 1, s.slots()));
        }
    }
}
