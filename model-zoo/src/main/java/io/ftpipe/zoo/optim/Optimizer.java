package io.ftpipe.zoo.optim;

import io.ftpipe.zoo.runtime.ParamStore;

/**
 * Updates parameters in place from their gradients. State is kept per parameter so that it can
 * move with the parameter's weights when a stage boundary moves.
 */
public interface Optimizer {

    /** One step for every trainable parameter of the store, from its gradient buffer. */
    void step(ParamStore store);

    /** The state of one parameter, or null if it has not stepped yet. */
    ParamState state(String param);

    void restore(String param, ParamState state);
}
