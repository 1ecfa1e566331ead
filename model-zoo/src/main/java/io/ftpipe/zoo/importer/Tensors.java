package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads the values of an ONNX tensor, stored raw (little-endian) or in its typed fields. */
final class Tensors {
    private Tensors() {
    }

    static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    static long count(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    static boolean isFloat(TensorProto t) {
        return t.getDataType() == DataType.FLOAT_VALUE || t.getDataType() == DataType.DOUBLE_VALUE;
    }

    static float[] floats(TensorProto t) {
        double[] v = values(t);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Every element as a double; int64 values beyond 2^53 (Slice's "to the end") saturate harmlessly. */
    static double[] values(TensorProto t) {
        if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new ImportException("tensor '" + t.getName() + "' is stored in an external file; "
                    + "export the model as a single file");
        }
        int n = Math.toIntExact(count(t));
        double[] out = new double[n];
        boolean raw = !t.getRawData().isEmpty();
        ByteBuffer b = raw ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        DataType type = DataType.forNumber(t.getDataType());
        if (type == null) {
            throw new ImportException("tensor '" + t.getName() + "' has unknown element type " + t.getDataType());
        }
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case FLOAT -> raw ? b.getFloat(4 * i) : t.getFloatData(i);
                case DOUBLE -> raw ? b.getDouble(8 * i) : t.getDoubleData(i);
                case INT64 -> raw ? b.getLong(8 * i) : t.getInt64Data(i);
                case INT32 -> raw ? b.getInt(4 * i) : t.getInt32Data(i);
                case BOOL, UINT8, INT8 -> raw ? b.get(i) : t.getInt32Data(i);
                default -> throw new ImportException("tensor '" + t.getName() + "' has element type " + type
                        + ", which the importer does not read");
            };
        }
        return out;
    }
}
