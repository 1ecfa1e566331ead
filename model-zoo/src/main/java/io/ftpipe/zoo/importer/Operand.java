package io.ftpipe.zoo.importer;

/** One input of an elementwise node: an activation, a constant, or a trainable bias. */
sealed interface Operand {

    /** An activation of per-sample shape {@code shape}, the op's next input. */
    record Act(long[] shape) implements Operand {
    }

    /** A value known at import; its shape is a full shape, broadcast against the batched output. */
    record Fixed(Const value) implements Operand {
    }

    /** A trainable tensor read from initializer {@code source}, broadcast like {@link Fixed}. */
    record Bias(String source, long[] shape, float[] initial) implements Operand {
    }
}
