package io.ftpipe.zoo.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/** Element types used in stage graphs. Training runs in FLOAT32; FLOAT64 exists for gradient checks. */
public enum DType {
    FLOAT32(DataType.FLOAT, 4),
    FLOAT64(DataType.DOUBLE, 8),
    INT64(DataType.INT64, 8),
    BOOL(DataType.BOOL, 1);

    private final DataType onnx;
    private final int bytes;

    DType(DataType onnx, int bytes) {
        this.onnx = onnx;
        this.bytes = bytes;
    }

    public int onnxCode() {
        return onnx.getNumber();
    }

    public int bytes() {
        return bytes;
    }
}
