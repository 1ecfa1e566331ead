package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.Arrays;

/**
 * A tensor known at import time, such as shape arithmetic. An integer element flagged in
 * {@code batch} is the batch size, unknown until training runs: it may be moved around (Gather,
 * Concat, Unsqueeze), and a Reshape may take it as its batch dimension, but no arithmetic.
 *
 * @param integer int64, int32 or bool elements (false: floating point)
 */
record Const(boolean integer, long[] shape, double[] values, boolean[] batch) {

    static Const of(TensorProto t) {
        boolean integer = t.getDataType() != DataType.FLOAT_VALUE && t.getDataType() != DataType.DOUBLE_VALUE
                && t.getDataType() != DataType.FLOAT16_VALUE;
        double[] v = Tensors.values(t);
        return new Const(integer, Tensors.dims(t), v, new boolean[v.length]);
    }

    static Const ints(long[] shape, long... values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return new Const(true, shape, v, new boolean[v.length]);
    }

    static Const vector(long... values) {
        return ints(new long[]{values.length}, values);
    }

    int size() {
        return values.length;
    }

    int rank() {
        return shape.length;
    }

    boolean hasBatch() {
        for (boolean b : batch) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** The values as integers; {@code what} names the use in the error when one is the batch size. */
    long[] longs(String what) {
        if (hasBatch()) {
            throw new ImportException(what + " depends on the batch size, which is only known while training");
        }
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }

    double scalar(String what) {
        if (values.length != 1) {
            throw new ImportException(what + " must be a single value, not a tensor of shape " + Arrays.toString(shape));
        }
        return known(what)[0];
    }

    private double[] known(String what) {
        if (hasBatch()) {
            throw new ImportException(what + " depends on the batch size, which is only known while training");
        }
        return values;
    }

    Const reshaped(long[] newShape) {
        return new Const(integer, newShape, values, batch);
    }
}
