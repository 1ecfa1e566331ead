package io.ftpipe.zoo.layer;

import java.util.Arrays;

/**
 * A tensor of a layer's state: a trainable parameter, or a buffer (BatchNorm running
 * statistics) that moves with the weights but receives no gradient.
 *
 * @param name         local name; composites prefix their children's names
 * @param shape        full shape
 * @param trainable    false for buffers
 * @param uniformBound initial values are uniform in [-bound, bound]; 0 means {@link #constant}
 * @param constant     initial value when {@code uniformBound} is 0
 * @param initial      given initial values (an imported model's weights), or null to draw them
 *                     from the bound or the constant
 */
public record ParamSpec(String name, long[] shape, boolean trainable, double uniformBound, double constant,
                        float[] initial) {

    public ParamSpec {
        if (initial != null && initial.length != Shapes.numel(shape)) {
            throw new IllegalArgumentException(name + ": " + initial.length + " initial values for shape "
                    + Arrays.toString(shape));
        }
    }

    public ParamSpec(String name, long[] shape, boolean trainable, double uniformBound, double constant) {
        this(name, shape, trainable, uniformBound, constant, null);
    }

    public static ParamSpec uniform(String name, double bound, long... shape) {
        return new ParamSpec(name, shape, true, bound, 0);
    }

    public static ParamSpec constant(String name, double value, long... shape) {
        return new ParamSpec(name, shape, true, 0, value);
    }

    public static ParamSpec buffer(String name, double value, long... shape) {
        return new ParamSpec(name, shape, false, 0, value);
    }

    public ParamSpec withPrefix(String prefix) {
        return new ParamSpec(prefix + name, shape, trainable, uniformBound, constant, initial);
    }

    /** The same tensor starting from {@code values} instead of a drawn or constant start. */
    public ParamSpec withInitial(float[] values) {
        return new ParamSpec(name, shape, trainable, uniformBound, constant, values);
    }

    public int size() {
        return Math.toIntExact(Shapes.numel(shape));
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (trainable ? "" : " (buffer)");
    }
}
