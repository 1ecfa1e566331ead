package io.ftpipe.zoo.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/** Element types used in stage graphs. Training runs in FLOAT32; FLOAT64 exists for gradient checks. */
public enum DType {
    FLOAT32(DataType.FLOAT, 4, "<f4"),
    FLOAT64(DataType.DOUBLE, 8, "<f8"),
    INT64(DataType.INT64, 8, "<i8"),
    BOOL(DataType.BOOL, 1, "|b1");

    private final DataType onnx;
    private final int bytes;
    private final String numpy;

    DType(DataType onnx, int bytes, String numpy) {
        this.onnx = onnx;
        this.bytes = bytes;
        this.numpy = numpy;
    }

    public int onnxCode() {
        return onnx.getNumber();
    }

    public int bytes() {
        return bytes;
    }

    /** The numpy type string, so tensors interoperate with msgpack-numpy. */
    public String numpy() {
        return numpy;
    }
}
