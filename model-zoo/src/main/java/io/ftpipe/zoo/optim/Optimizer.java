package io.ftpipe.zoo.optim;

import io.ftpipe.zoo.runtime.ParamStore;

import java.util.function.Predicate;

/**
 * Updates parameters in place from their gradients. State is kept per parameter so that it can
 * move with the parameter's weights when a stage boundary moves.
 */
public interface Optimizer {

    /** One step for every trainable parameter of the store, from its gradient buffer. */
    default void step(ParamStore store) {
        step(store, name -> true);
    }

    /**
     * One step for the trainable parameters of the store that {@code steps} accepts (by full
     * name); the others, and their optimizer state, stay as they are (a unit that already holds
     * this update).
     */
    void step(ParamStore store, Predicate<String> steps);

    /** The state of one parameter, or null if it has not stepped yet. */
    ParamState state(String param);

    void restore(String param, ParamState state);
}
