package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * Evaluates the nodes whose inputs are all known at import time: the shape arithmetic that
 * torch.onnx.export writes (Shape, Gather, Unsqueeze, Concat, Reshape...) and constants. Pure.
 */
final class ConstFolder {
    private ConstFolder() {
    }

    /** The ops this class evaluates. */
    static final List<String> OPS = List.of("Constant", "Identity", "Gather", "Unsqueeze", "Squeeze", "Concat",
            "Cast", "Reshape", "Slice", "Add", "Sub", "Mul", "Div", "Neg", "Equal", "Where", "Not",
            "ConstantOfShape", "Range", "Transpose", "Flatten");

    /** Shape of an activation whose per-sample shape is {@code sample}: dimension 0 is the batch. */
    static Const shapeOf(NodeProto node, long[] sample) {
        int rank = sample.length + 1;
        long start = Nodes.attrInt(node, "start", 0);
        long end = Nodes.attrInt(node, "end", rank);
        int from = (int) clamp(start < 0 ? start + rank : start, rank);
        int to = (int) clamp(end < 0 ? end + rank : end, rank);
        int n = Math.max(0, to - from);
        double[] v = new double[n];
        boolean[] batch = new boolean[n];
        for (int i = 0; i < n; i++) {
            int axis = from + i;
            if (axis == 0) {
                batch[i] = true;
            } else {
                v[i] = sample[axis - 1];
            }
        }
        return new Const(true, new long[]{n}, v, batch);
    }

    static Const fold(NodeProto node, List<Const> in) {
        return switch (node.getOpType()) {
            case "Constant" -> constant(node);
            case "Identity" -> in.get(0);
            case "Gather" -> gather(node, in.get(0), in.get(1));
            case "Unsqueeze" -> in.get(0).reshaped(unsqueezed(in.get(0).shape(), axes(node, in)));
            case "Squeeze" -> in.get(0).reshaped(squeezed(in.get(0).shape(), axes(node, in)));
            case "Flatten" -> flatten(node, in.get(0));
            case "Concat" -> concat(node, in);
            case "Cast" -> cast(node, in.get(0));
            case "Reshape" -> in.get(0).reshaped(Reshapes.resolve(node, in.get(0).shape(),
                    in.get(1).longs(Nodes.describe(node) + ": its shape"), Nodes.attrInt(node, "allowzero", 0) == 1));
            case "Slice" -> slice(node, in);
            case "Add" -> binary(node, in, Double::sum);
            case "Sub" -> binary(node, in, (a, b) -> a - b);
            case "Mul" -> binary(node, in, (a, b) -> a * b);
            case "Div" -> binary(node, in, (a, b) -> in.get(0).integer() ? (double) ((long) a / (long) b) : a / b);
            case "Equal" -> bool(binary(node, in, (a, b) -> a == b ? 1 : 0));
            case "Neg" -> binary(node, List.of(in.get(0), Const.ints(new long[0], 0)), (a, b) -> -a);
            case "Not" -> binary(node, List.of(in.get(0), Const.ints(new long[0], 0)), (a, b) -> a == 0 ? 1 : 0);
            case "Where" -> where(node, in);
            case "ConstantOfShape" -> constantOfShape(node, in.get(0));
            case "Range" -> range(node, in);
            case "Transpose" -> transpose(node, in.get(0));
            default -> throw ImportException.at(node, "cannot be computed at import time");
        };
    }

    private static Const constant(NodeProto node) {
        var a = node.getAttribute(0);
        return switch (a.getName()) {
            case "value" -> Const.of(a.getT());
            case "value_float" -> new Const(false, new long[0], new double[]{a.getF()}, new boolean[1]);
            case "value_floats" -> new Const(false, new long[]{a.getFloatsCount()},
                    a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray(), new boolean[a.getFloatsCount()]);
            case "value_int" -> Const.ints(new long[0], a.getI());
            case "value_ints" -> Const.vector(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw ImportException.at(node, "constant of kind " + a.getName() + " is not supported");
        };
    }

    /** Axes from the attribute (opset 12 and older) or the second input (13 and newer). */
    private static long[] axes(NodeProto node, List<Const> in) {
        if (in.size() > 1 && in.get(1) != null) {
            return in.get(1).longs(Nodes.describe(node) + ": its axes");
        }
        return Nodes.attrInts(node, "axes", null);
    }

    static long[] unsqueezed(long[] shape, long[] axes) {
        int rank = shape.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            inserted[(int) (a < 0 ? a + rank : a)] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : shape[j++];
        }
        return out;
    }

    static long[] squeezed(long[] shape, long[] axes) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            boolean drop = axes == null ? shape[i] == 1 : contains(axes, i, shape.length);
            if (!drop) {
                out.add(shape[i]);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean contains(long[] axes, int axis, int rank) {
        for (long a : axes) {
            if ((a < 0 ? a + rank : a) == axis) {
                return true;
            }
        }
        return false;
    }

    private static Const flatten(NodeProto node, Const x) {
        int axis = (int) Nodes.attrInt(node, "axis", 1);
        axis = axis < 0 ? axis + x.rank() : axis;
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= x.shape()[i];
        }
        return x.reshaped(new long[]{outer, x.size() / Math.max(outer, 1)});
    }

    private static Const gather(NodeProto node, Const data, Const indices) {
        long axis = Nodes.attrInt(node, "axis", 0);
        if (axis != 0 && axis != -data.rank()) {
            throw ImportException.at(node, "gathering on axis " + axis + " cannot be computed at import time");
        }
        long[] idx = indices.longs(Nodes.describe(node) + ": its indices");
        long rows = data.shape()[0];
        int inner = (int) (data.size() / Math.max(rows, 1));
        double[] v = new double[idx.length * inner];
        boolean[] batch = new boolean[v.length];
        for (int i = 0; i < idx.length; i++) {
            long r = idx[i] < 0 ? idx[i] + rows : idx[i];
            System.arraycopy(data.values(), (int) r * inner, v, i * inner, inner);
            System.arraycopy(data.batch(), (int) r * inner, batch, i * inner, inner);
        }
        long[] shape = new long[indices.rank() + data.rank() - 1];
        System.arraycopy(indices.shape(), 0, shape, 0, indices.rank());
        System.arraycopy(data.shape(), 1, shape, indices.rank(), data.rank() - 1);
        return new Const(data.integer(), shape, v, batch);
    }

    private static Const concat(NodeProto node, List<Const> in) {
        int rank = in.get(0).rank();
        long a = Nodes.attrInt(node, "axis", 0);
        int axis = (int) (a < 0 ? a + rank : a);
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= in.get(0).shape()[i];
        }
        long[] shape = in.get(0).shape().clone();
        shape[axis] = 0;
        int total = 0;
        for (Const c : in) {
            shape[axis] += c.shape()[axis];
            total += c.size();
        }
        double[] v = new double[total];
        boolean[] batch = new boolean[total];
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (Const c : in) {
                int block = (int) (c.size() / Math.max(outer, 1));
                System.arraycopy(c.values(), (int) o * block, v, pos, block);
                System.arraycopy(c.batch(), (int) o * block, batch, pos, block);
                pos += block;
            }
        }
        return new Const(in.get(0).integer(), shape, v, batch);
    }

    private static Const cast(NodeProto node, Const x) {
        int to = (int) Nodes.attrInt(node, "to", DataType.FLOAT_VALUE);
        boolean integer = to != DataType.FLOAT_VALUE && to != DataType.DOUBLE_VALUE && to != DataType.FLOAT16_VALUE;
        double[] v = x.values().clone();
        if (integer && !x.integer()) {
            for (int i = 0; i < v.length; i++) {
                v[i] = to == DataType.BOOL_VALUE ? (v[i] != 0 ? 1 : 0) : (long) v[i];
            }
        }
        return new Const(integer, x.shape(), v, x.batch());
    }

    private static Const slice(NodeProto node, List<Const> in) {
        Const x = in.get(0);
        String what = Nodes.describe(node);
        long[] starts = in.size() > 1 ? in.get(1).longs(what + ": its starts") : Nodes.attrInts(node, "starts", null);
        long[] ends = in.size() > 2 ? in.get(2).longs(what + ": its ends") : Nodes.attrInts(node, "ends", null);
        long[] axes = in.size() > 3 && in.get(3) != null ? in.get(3).longs(what) : Nodes.attrInts(node, "axes", null);
        long[] steps = in.size() > 4 && in.get(4) != null ? in.get(4).longs(what) : null;
        Slicing s = Slicing.of(x.shape(), starts, ends, axes, steps);
        int[] src = s.sourceIndices(x.shape());
        double[] v = new double[src.length];
        boolean[] batch = new boolean[src.length];
        for (int i = 0; i < src.length; i++) {
            v[i] = x.values()[src[i]];
            batch[i] = x.batch()[src[i]];
        }
        return new Const(x.integer(), s.outShape(), v, batch);
    }

    private static Const binary(NodeProto node, List<Const> in, DoubleBinaryOperator f) {
        Const a = in.get(0);
        Const b = in.get(1);
        if (a.hasBatch() || b.hasBatch()) {
            throw ImportException.at(node, "computes with the batch size, which is only known while training");
        }
        long[] shape = Broadcast.shape(a.shape(), b.shape());
        int n = (int) io.ftpipe.zoo.layer.Shapes.numel(shape);
        int[] ia = Broadcast.sourceIndices(a.shape(), shape);
        int[] ib = Broadcast.sourceIndices(b.shape(), shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.applyAsDouble(a.values()[ia[i]], b.values()[ib[i]]);
        }
        return new Const(a.integer(), shape, v, new boolean[n]);
    }

    private static Const bool(Const c) {
        return new Const(true, c.shape(), c.values(), c.batch());
    }

    private static Const where(NodeProto node, List<Const> in) {
        Const c = in.get(0);
        Const x = in.get(1);
        Const y = in.get(2);
        if (c.hasBatch()) {
            throw ImportException.at(node, "chooses by the batch size, which is only known while training");
        }
        long[] shape = Broadcast.shape(Broadcast.shape(c.shape(), x.shape()), y.shape());
        int n = (int) io.ftpipe.zoo.layer.Shapes.numel(shape);
        int[] ic = Broadcast.sourceIndices(c.shape(), shape);
        int[] ix = Broadcast.sourceIndices(x.shape(), shape);
        int[] iy = Broadcast.sourceIndices(y.shape(), shape);
        double[] v = new double[n];
        boolean[] batch = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean pick = c.values()[ic[i]] != 0;
            v[i] = pick ? x.values()[ix[i]] : y.values()[iy[i]];
            batch[i] = pick ? x.batch()[ix[i]] : y.batch()[iy[i]];
        }
        return new Const(x.integer(), shape, v, batch);
    }

    private static Const constantOfShape(NodeProto node, Const shape) {
        long[] dims = shape.longs(Nodes.describe(node) + ": its shape");
        Const value = node.getAttributeCount() > 0 ? Const.of(node.getAttribute(0).getT())
                : new Const(false, new long[]{1}, new double[]{0}, new boolean[1]);
        int n = (int) io.ftpipe.zoo.layer.Shapes.numel(dims);
        double[] v = new double[n];
        Arrays.fill(v, value.values()[0]);
        return new Const(value.integer(), dims, v, new boolean[n]);
    }

    private static Const range(NodeProto node, List<Const> in) {
        String what = Nodes.describe(node);
        double start = in.get(0).scalar(what + ": its start");
        double limit = in.get(1).scalar(what + ": its limit");
        double delta = in.get(2).scalar(what + ": its delta");
        int n = (int) Math.max(Math.ceil((limit - start) / delta), 0);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * delta;
        }
        return new Const(in.get(0).integer(), new long[]{n}, v, new boolean[n]);
    }

    private static Const transpose(NodeProto node, Const x) {
        long[] perm = Nodes.attrInts(node, "perm", null);
        int[] src = Broadcast.transposeIndices(x.shape(), perm);
        double[] v = new double[src.length];
        boolean[] batch = new boolean[src.length];
        for (int i = 0; i < src.length; i++) {
            v[i] = x.values()[src[i]];
            batch[i] = x.batch()[src[i]];
        }
        long[] p = perm == null ? reversed(x.rank()) : perm;
        long[] shape = new long[x.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = x.shape()[(int) p[i]];
        }
        return new Const(x.integer(), shape, v, batch);
    }

    static long[] reversed(int rank) {
        long[] p = new long[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = rank - 1 - i;
        }
        return p;
    }

    private static long clamp(long v, long max) {
        return Math.max(0, Math.min(v, max));
    }
}
