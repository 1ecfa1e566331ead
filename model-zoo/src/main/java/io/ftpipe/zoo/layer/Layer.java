package io.ftpipe.zoo.layer;

import java.util.List;

/**
 * A layer that can emit its forward and its backward pass as ONNX nodes. Shapes are per sample
 * (no batch dimension). Forward and backward are built into separate graphs: whatever backward
 * needs from forward travels as a stash ({@link ForwardScope#stash}, {@link BackwardScope#stashed}).
 */
public interface Layer {

    /** Short human-readable description, e.g. {@code Conv2d(1->16, k5, s1, p2)}. */
    String describe();

    /** Parameters and buffers, with local names. */
    List<ParamSpec> params();

    long[] outputShape(long[] in);

    /** Forward floating-point operations per sample. */
    long flops(long[] in);

    /** Emits the forward pass of input {@code x}; returns the output value. */
    String forward(ForwardScope s, String x, long[] in);

    /**
     * Emits the backward pass for output gradient {@code dy}; registers parameter gradients with
     * {@link BackwardScope#grad} and returns the input gradient, or null when
     * {@link BackwardScope#needsInputGrad()} is false.
     */
    String backward(BackwardScope s, String dy, long[] in);
}
