package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.Arrays;
import java.util.List;

/**
 * Nodes that move each sample's elements without arithmetic: Flatten, Reshape, Squeeze,
 * Unsqueeze, Transpose, Concat, Split, Slice and zero Pad. The batch axis must stay where it is.
 */
final class Rearranging {
    private Rearranging() {
    }

    static List<GraphUnit.Step> map(NodeProto node, Values v, long[] in) {
        int rank = in.length + 1;
        return switch (node.getOpType()) {
            case "Flatten" -> {
                if (axis(Nodes.attrInt(node, "axis", 1), rank) != 1) {
                    yield Catalog.refuse(node, "flattens at axis " + Nodes.attrInt(node, "axis", 1)
                            + ", which mixes the batch with other axes; only axis 1 is supported");
                }
                yield Catalog.one(node, ShapeOp.reshape("Flatten", in, new long[]{io.ftpipe.zoo.layer.Shapes.numel(in)}));
            }
            case "Reshape" -> Catalog.one(node, ShapeOp.reshape("Reshape", in, Reshapes.sample(node, in,
                    v.constant(node, 1), v.exportBatch(), Nodes.attrInt(node, "allowzero", 0) == 1)));
            case "Squeeze" -> Catalog.one(node, ShapeOp.reshape("Squeeze", in, squeeze(node, v, in)));
            case "Unsqueeze" -> Catalog.one(node, ShapeOp.reshape("Unsqueeze", in, unsqueeze(node, v, in)));
            case "Transpose" -> Catalog.one(node, ShapeOp.transpose(in, perm(node, rank)));
            case "Concat" -> concat(node, v);
            case "Split" -> split(node, v, in);
            case "Slice" -> Catalog.one(node, slice(node, v, in));
            case "Pad" -> Catalog.one(node, pad(node, v, in));
            default -> Catalog.refuse(node, "is not a rearrangement");
        };
    }

    private static int axis(long a, int rank) {
        return (int) (a < 0 ? a + rank : a);
    }

    private static long[] axes(NodeProto node, Values v) {
        return Nodes.input(node, 1) != null ? v.constant(node, 1).longs(Nodes.describe(node) + ": its axes")
                : Nodes.attrInts(node, "axes", null);
    }

    private static long[] squeeze(NodeProto node, Values v, long[] in) {
        long[] axes = axes(node, v);
        if (axes == null) {
            return ConstFolder.squeezed(in, null);
        }
        long[] sampleAxes = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axis(axes[i], in.length + 1);
            if (a == 0) {
                return Catalog.refuse(node, "squeezes the batch axis");
            }
            sampleAxes[i] = a - 1;
        }
        return ConstFolder.squeezed(in, sampleAxes);
    }

    private static long[] unsqueeze(NodeProto node, Values v, long[] in) {
        long[] axes = axes(node, v);
        int outRank = in.length + 1 + axes.length;
        long[] full = new long[in.length + 1];
        full[0] = 1;
        System.arraycopy(in, 0, full, 1, in.length);
        for (long a : axes) {
            if (axis(a, outRank) == 0) {
                return Catalog.refuse(node, "adds an axis before the batch axis");
            }
        }
        long[] out = ConstFolder.unsqueezed(full, axes);
        return Arrays.copyOfRange(out, 1, out.length);
    }

    private static int[] perm(NodeProto node, int rank) {
        long[] perm = Nodes.attrInts(node, "perm", ConstFolder.reversed(rank));
        if (perm[0] != 0) {
            return Catalog.refuse(node, "moves the batch axis (perm " + Arrays.toString(perm) + ")");
        }
        int[] sample = new int[rank - 1];
        for (int i = 1; i < rank; i++) {
            sample[i - 1] = (int) perm[i] - 1;
        }
        return sample;
    }

    private static List<GraphUnit.Step> concat(NodeProto node, Values v) {
        for (String t : node.getInputList()) {
            if (!v.isActivation(t)) {
                return Catalog.refuse(node, "concatenates '" + t + "', which is not an activation");
            }
        }
        List<long[]> shapes = node.getInputList().stream().map(v::shape).toList();
        int a = axis(Nodes.attrInt(node, "axis", 0), shapes.get(0).length + 1);
        if (a == 0) {
            return Catalog.refuse(node, "concatenates along the batch axis");
        }
        for (long[] s : shapes) {
            long[] other = s.clone();
            other[a - 1] = shapes.get(0)[a - 1];
            if (!Arrays.equals(other, shapes.get(0))) {
                return Catalog.refuse(node, "concatenates per-sample shapes " + Arrays.toString(shapes.get(0)) + " and "
                        + Arrays.toString(s) + " along axis " + a);
            }
        }
        return List.of(new GraphUnit.Step(ConcatOp.concat(shapes, a - 1), node.getInputList(), List.of(node.getOutput(0))));
    }

    private static List<GraphUnit.Step> split(NodeProto node, Values v, long[] in) {
        int a = axis(Nodes.attrInt(node, "axis", 0), in.length + 1);
        if (a == 0) {
            return Catalog.refuse(node, "splits along the batch axis");
        }
        long[] sizes = Nodes.input(node, 1) != null ? v.constant(node, 1).longs(Nodes.describe(node) + ": its split")
                : Nodes.attrInts(node, "split", null);
        int parts = node.getOutputCount();
        if (sizes == null) {
            if (in[a - 1] % parts != 0) {
                return Catalog.refuse(node, "splits " + in[a - 1] + " into " + parts + " unequal parts without sizes");
            }
            sizes = new long[parts];
            Arrays.fill(sizes, in[a - 1] / parts);
        }
        if (Arrays.stream(sizes).sum() != in[a - 1]) {
            return Catalog.refuse(node, "splits " + in[a - 1] + " into parts " + Arrays.toString(sizes));
        }
        return List.of(new GraphUnit.Step(ConcatOp.split(in, a - 1, sizes), List.of(node.getInput(0)),
                node.getOutputList()));
    }

    private static SliceOp slice(NodeProto node, Values v, long[] in) {
        String what = Nodes.describe(node);
        long[] starts = v.constant(node, 1).longs(what + ": its starts");
        long[] ends = v.constant(node, 2).longs(what + ": its ends");
        long[] axes = Nodes.input(node, 3) != null ? v.constant(node, 3).longs(what + ": its axes") : null;
        long[] steps = Nodes.input(node, 4) != null ? v.constant(node, 4).longs(what + ": its steps") : null;
        int rank = in.length + 1;
        int n = starts.length;
        int kept = 0;
        long[][] sample = new long[4][n];
        for (int i = 0; i < n; i++) {
            int a = axes == null ? i : axis(axes[i], rank);
            long step = steps == null ? 1 : steps[i];
            if (a == 0) {
                if (starts[i] != 0 || ends[i] < Integer.MAX_VALUE || step != 1) {
                    return Catalog.refuse(node, "slices the batch axis");
                }
                continue;
            }
            sample[0][kept] = starts[i];
            sample[1][kept] = ends[i];
            sample[2][kept] = a - 1;
            sample[3][kept++] = step;
        }
        Slicing s = Slicing.of(in, Arrays.copyOf(sample[0], kept), Arrays.copyOf(sample[1], kept),
                Arrays.copyOf(sample[2], kept), Arrays.copyOf(sample[3], kept));
        long[] begin = new long[in.length];
        long[] end = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            if (s.step()[i] != 1 && s.cuts(in, i)) {
                return Catalog.refuse(node, "slices with step " + s.step()[i] + "; only step 1 is supported");
            }
            begin[i] = s.start()[i];
            end[i] = in[i] - s.start()[i] - s.outShape()[i];
        }
        return new SliceOp(false, in, begin, end);
    }

    private static SliceOp pad(NodeProto node, Values v, long[] in) {
        String mode = Nodes.attrString(node, "mode", "constant");
        if (!mode.equals("constant")) {
            return Catalog.refuse(node, "pads in mode " + mode + "; only constant zero padding is supported");
        }
        if (Nodes.input(node, 2) != null && v.constant(node, 2).scalar(Nodes.describe(node) + ": its value") != 0) {
            return Catalog.refuse(node, "pads with a value other than 0");
        }
        long[] pads = Nodes.input(node, 1) != null ? v.constant(node, 1).longs(Nodes.describe(node) + ": its pads")
                : Nodes.attrInts(node, "pads", null);
        int rank = in.length + 1;
        if (pads == null || pads.length != 2 * rank || Nodes.input(node, 3) != null) {
            return Catalog.refuse(node, "needs pads for all " + rank + " axes");
        }
        if (pads[0] != 0 || pads[rank] != 0 || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            return Catalog.refuse(node, "pads the batch axis or crops (pads " + Arrays.toString(pads) + ")");
        }
        return new SliceOp(true, in, Arrays.copyOfRange(pads, 1, rank), Arrays.copyOfRange(pads, rank + 1, 2 * rank));
    }
}
