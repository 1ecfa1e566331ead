package io.ftpipe.zoo.optim;

import java.util.HashMap;
import java.util.Map;

/** Keeps per-parameter state; hands it out and takes it in as copies, so two owners never alias. */
abstract class StatefulOptimizer implements Optimizer {
    protected final OptimizerConfig config;
    protected final Map<String, ParamState> states = new HashMap<>();

    StatefulOptimizer(OptimizerConfig config) {
        this.config = config;
    }

    @Override
    public ParamState state(String param) {
        ParamState s = states.get(param);
        return s == null ? null : copy(s);
    }

    @Override
    public void restore(String param, ParamState state) {
        states.put(param, copy(state));
    }

    private static ParamState copy(ParamState s) {
        return new ParamState(s.step(), s.slots().stream().map(float[]::clone).toList());
    }
}
