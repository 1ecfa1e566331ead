package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;
import io.ftpipe.zoo.layer.Shapes;

import java.util.Arrays;

/** The output shapes of Reshape nodes: ONNX's rules for 0 and -1, and where the batch goes. Pure. */
final class Reshapes {
    private Reshapes() {
    }

    /** ONNX Reshape of a tensor of shape {@code in} to {@code target}. */
    static long[] resolve(NodeProto node, long[] in, long[] target, boolean allowZero) {
        long[] out = target.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (inferred >= 0) {
                    throw ImportException.at(node, "reshape target " + Arrays.toString(target) + " has two -1");
                }
                inferred = i;
            } else {
                known *= out[i];
            }
        }
        long total = Shapes.numel(in);
        if (inferred >= 0) {
            out[inferred] = known == 0 ? 0 : total / known;
        }
        if (Shapes.numel(out) != total) {
            throw ImportException.at(node, "cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
        }
        return out;
    }

    /**
     * The per-sample output shape of reshaping an activation of per-sample shape {@code sample} to
     * {@code target}, whose first entry must stand for the batch: the batch size itself (from
     * Shape), 0 (copy), the batch size of a fixed-batch export, or -1 with every other entry known.
     */
    static long[] sample(NodeProto node, long[] sample, Const target, long exportBatch, boolean allowZero) {
        if (target.size() == 0) {
            throw ImportException.at(node, "reshapes to a scalar, which loses the batch dimension");
        }
        for (int i = 1; i < target.size(); i++) {
            if (target.batch()[i]) {
                throw ImportException.at(node, "moves the batch dimension to axis " + i + "; only axis 0 can hold it");
            }
        }
        long first = (long) target.values()[0];
        long[] rest = new long[target.size() - 1];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = (long) target.values()[i + 1];
        }
        boolean batchFirst = target.batch()[0] || (first == 0 && !allowZero) || (exportBatch > 0 && first == exportBatch);
        boolean inferredFirst = first == -1 && Arrays.stream(rest).noneMatch(d -> d == -1);
        if (!batchFirst && !inferredFirst) {
            throw ImportException.at(node, "reshapes to " + describe(target) + ", which does not keep the batch "
                    + "dimension first");
        }
        long[] padded = new long[sample.length + 1];
        System.arraycopy(sample, 0, padded, 1, sample.length);
        long[] full = new long[rest.length + 1];
        System.arraycopy(rest, 0, full, 1, rest.length);
        full[0] = 1;
        padded[0] = 1;
        long[] out;
        try {
            out = resolve(node, padded, full, allowZero);
        } catch (ImportException e) {
            throw ImportException.at(node, "reshapes " + Arrays.toString(sample) + " per sample to "
                    + describe(target) + ", which mixes samples");
        }
        return Arrays.copyOfRange(out, 1, out.length);
    }

    private static String describe(Const target) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < target.size(); i++) {
            s.append(i > 0 ? ", " : "").append(target.batch()[i] ? "batch" : String.valueOf((long) target.values()[i]));
        }
        return s.append("]").toString();
    }
}
