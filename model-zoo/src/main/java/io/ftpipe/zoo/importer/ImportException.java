package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;

/** An ONNX model that cannot be trained, with one line saying which part and why. */
public final class ImportException extends RuntimeException {

    public ImportException(String message) {
        super(message);
    }

    /** "node '<name>' (<op>): <why>". */
    public static ImportException at(NodeProto node, String why) {
        return new ImportException(where(node) + ": " + why);
    }

    static String where(NodeProto node) {
        String name = node.getName().isEmpty() ? "producing " + node.getOutput(0) : node.getName();
        return "node '" + name + "' (" + node.getOpType() + ")";
    }
}
