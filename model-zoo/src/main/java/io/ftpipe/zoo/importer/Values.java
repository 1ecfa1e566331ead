package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;

/** What the catalog may ask about a node's inputs while it maps the node. */
interface Values {

    /** A trainable tensor read from initializer {@code source}; {@code values} null when re-initialising. */
    record Weight(String source, long[] shape, float[] values, boolean transposed) {
    }

    boolean isActivation(String tensor);

    /** True for a float initializer (or a transposed view of one): a weight, unless used as a constant. */
    boolean isWeight(String tensor);

    /** The per-sample shape of an activation. */
    long[] shape(String tensor);

    /** Input {@code i} of {@code node} as a value known at import (a float initializer counts, as a constant). */
    Const constant(NodeProto node, int i);

    /** Input {@code i} of {@code node} as a trainable initializer, claimed for this node. */
    Weight weight(NodeProto node, int i);

    /** The batch size of a fixed-batch export, 0 when the batch dimension is dynamic. */
    long exportBatch();
}
