package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;

/** Attribute access for ONNX nodes, with the defaults the ONNX specification gives. */
final class Nodes {
    private Nodes() {
    }

    static AttributeProto attr(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static long attrInt(NodeProto node, String name, long otherwise) {
        AttributeProto a = attr(node, name);
        return a == null ? otherwise : a.getI();
    }

    static long[] attrInts(NodeProto node, String name, long[] otherwise) {
        AttributeProto a = attr(node, name);
        return a == null ? otherwise : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A float attribute as the decimal its float32 spells: the exporter writes momentum 0.9 and
     * epsilon 1e-5 as the nearest floats, and PyTorch meant the decimals.
     */
    static double attrFloat(NodeProto node, String name, double otherwise) {
        AttributeProto a = attr(node, name);
        return a == null ? otherwise : Double.parseDouble(Float.toString(a.getF()));
    }

    static String attrString(NodeProto node, String name, String otherwise) {
        AttributeProto a = attr(node, name);
        return a == null ? otherwise : a.getS().toStringUtf8();
    }

    /** Input {@code i}, or null when the node has no such input or leaves it empty (an optional input). */
    static String input(NodeProto node, int i) {
        return i < node.getInputCount() && !node.getInput(i).isEmpty() ? node.getInput(i) : null;
    }

    static String describe(NodeProto node) {
        return ImportException.where(node);
    }
}
