package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.ParamSpec;

import java.util.List;
import java.util.Map;

/**
 * One imported node of a {@link GraphUnit}: its forward and backward from standard ONNX ops.
 * Inputs and outputs are the node's activations (constants and weights are the op's own); shapes
 * are per sample and fixed at import.
 */
interface Op {

    String describe();

    /**
     * Parameters and buffers with local names, starting from the file's values unless re-initialised;
     * none for the ops that only move, combine or reduce activations.
     */
    default List<ParamSpec> params() {
        return List.of();
    }

    /** Local parameter name to the ONNX initializer it was read from (and is written back to). */
    default Map<String, String> sources() {
        return Map.of();
    }

    List<long[]> outputShapes();

    /** Forward floating-point operations per sample. */
    long flops();

    List<String> forward(ForwardScope s, List<String> in);

    /**
     * @param dy    gradient per output, null for an output nothing downstream used
     * @param needs whether each input's gradient is wanted
     * @return the gradient per input, null where not wanted
     */
    List<String> backward(BackwardScope s, List<String> dy, boolean[] needs);
}
