package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;
import io.ftpipe.zoo.layer.AvgPool2d;
import io.ftpipe.zoo.layer.BatchNorm2d;
import io.ftpipe.zoo.layer.Conv2d;
import io.ftpipe.zoo.layer.Dropout;
import io.ftpipe.zoo.layer.GlobalAvgPool;
import io.ftpipe.zoo.layer.HardSigmoid;
import io.ftpipe.zoo.layer.Layer;
import io.ftpipe.zoo.layer.LeakyReLU;
import io.ftpipe.zoo.layer.Linear;
import io.ftpipe.zoo.layer.MaxPool2d;
import io.ftpipe.zoo.layer.ReLU;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.layer.Squashing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an ONNX node that computes on activations onto ops with a forward and a backward, or
 * refuses it with the reason. Layers are the zoo's own; shape-only and elementwise nodes are in
 * {@link Rearranging} and {@link Elementwise}.
 */
final class Catalog {

    /** Ops this catalog maps (besides the shape arithmetic that {@link ConstFolder} computes). */
    static final List<String> OPS = List.of("Conv", "Gemm", "MatMul", "BatchNormalization", "Relu", "Clip",
            "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "MaxPool", "AveragePool", "GlobalAveragePool",
            "Dropout", "Add", "Sub", "Mul", "Div", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Concat",
            "Split", "Slice", "Pad", "ReduceMean", "ReduceSum", "Identity", "Cast", "Softmax (last)", "LogSoftmax (last)");

    private Catalog() {
    }

    static List<GraphUnit.Step> map(NodeProto node, Values v) {
        String x = node.getInput(0);
        if (!v.isActivation(x)) {
            return Elementwise.OPS.contains(node.getOpType()) ? Elementwise.map(node, v)
                    : refuse(node, "its first input '" + x + "' is not the activation; it must be");
        }
        long[] in = v.shape(x);
        return switch (node.getOpType()) {
            case "Conv" -> Convolutions.conv(node, v, in);
            case "MaxPool", "AveragePool" -> Convolutions.pool(node, v, in);
            case "GlobalAveragePool" -> one(node, new LayerOp(new GlobalAvgPool(), in, LayerOp.spatial(in),
                    globalPooled(in), Map.of(), Map.of()));
            case "Gemm", "MatMul" -> dense(node, v, in);
            case "BatchNormalization" -> batchNorm(node, v, in);
            case "Relu" -> elementwise(node, ReLU.relu(), in);
            case "Clip" -> elementwise(node, clip(node, v), in);
            case "LeakyRelu" -> elementwise(node, new LeakyReLU(Nodes.attrFloat(node, "alpha", 0.01)), in);
            case "Sigmoid" -> elementwise(node, Squashing.sigmoid(), in);
            case "Tanh" -> elementwise(node, Squashing.tanh(), in);
            case "HardSigmoid" -> elementwise(node, new HardSigmoid(Nodes.attrFloat(node, "alpha", 0.2),
                    Nodes.attrFloat(node, "beta", 0.5), false), in);
            case "HardSwish" -> elementwise(node, HardSigmoid.hardSwish(), in);
            case "Dropout" -> elementwise(node, dropout(node, v), in);
            case "Identity" -> one(node, ShapeOp.reshape("Identity", in, in));
            case "Cast" -> cast(node, in);
            case "Add", "Sub", "Mul", "Div" -> Elementwise.map(node, v);
            case "ReduceMean", "ReduceSum" -> one(node, reduce(node, v, in));
            case "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Concat", "Split", "Slice", "Pad" ->
                    Rearranging.map(node, v, in);
            default -> refuse(node, "operator " + node.getOpType() + " is not supported; supported: "
                    + String.join(", ", OPS));
        };
    }

    static List<GraphUnit.Step> one(NodeProto node, Op op) {
        return List.of(new GraphUnit.Step(op, List.of(node.getInput(0)), List.of(node.getOutput(0))));
    }

    static <T> T refuse(NodeProto node, String why) {
        throw ImportException.at(node, why);
    }

    private static List<GraphUnit.Step> elementwise(NodeProto node, Layer layer, long[] in) {
        return one(node, LayerOp.elementwise(layer, in));
    }

    private static long[] globalPooled(long[] in) {
        long[] out = new long[in.length];
        Arrays.fill(out, 1);
        out[0] = in[0];
        return out;
    }

    private static List<GraphUnit.Step> dense(NodeProto node, Values v, long[] in) {
        if (in.length != 1) {
            return refuse(node, "multiplies a per-sample input of shape " + Arrays.toString(in)
                    + "; only [batch, features] inputs are supported");
        }
        String b = Nodes.input(node, 1);
        if (b != null && v.isActivation(b)) {
            return refuse(node, "multiplies two activations; only products with a weight are supported");
        }
        boolean gemm = node.getOpType().equals("Gemm");
        if (gemm && (Nodes.attrFloat(node, "alpha", 1) != 1 || Nodes.attrFloat(node, "beta", 1) != 1
                || Nodes.attrInt(node, "transA", 0) != 0)) {
            return refuse(node, "only alpha=1, beta=1 and transA=0 are supported");
        }
        Values.Weight w = v.weight(node, 1);
        // Stored [in, out] unless Gemm transposes it or the exporter wrote Transpose(W [out, in]).
        boolean storedOutIn = (gemm && Nodes.attrInt(node, "transB", 0) == 1) != w.transposed();
        if (w.shape().length != 2) {
            return refuse(node, "its weight '" + w.source() + "' has shape " + Arrays.toString(w.shape()));
        }
        int inF = (int) (storedOutIn ? w.shape()[1] : w.shape()[0]);
        int outF = (int) (storedOutIn ? w.shape()[0] : w.shape()[1]);
        if (inF != in[0]) {
            return refuse(node, "its weight '" + w.source() + "' takes " + inF + " features, the input has " + in[0]);
        }
        Map<String, String> sources = new HashMap<>(Map.of("weight", w.source()));
        Map<String, float[]> initial = new HashMap<>();
        put(initial, "weight", w.values());
        boolean bias = gemm && Nodes.input(node, 2) != null;
        if (bias) {
            Values.Weight c = v.weight(node, 2);
            if (c.shape().length == 0 || c.shape()[c.shape().length - 1] != outF || Shapes.numel(c.shape()) != outF) {
                return refuse(node, "its bias '" + c.source() + "' has shape " + Arrays.toString(c.shape())
                        + "; only one value per output is supported");
            }
            sources.put("bias", c.source());
            put(initial, "bias", c.values());
        }
        Linear linear = new Linear(inF, outF, bias, !storedOutIn);
        return one(node, new LayerOp(linear, in, in, new long[]{outF}, sources, initial));
    }

    private static List<GraphUnit.Step> batchNorm(NodeProto node, Values v, long[] in) {
        long channels = in[0];
        String[] names = {"weight", "bias", "running_mean", "running_var"};
        Map<String, String> sources = new HashMap<>();
        Map<String, float[]> initial = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (Nodes.input(node, i + 1) == null) {
                return refuse(node, "has no " + names[i] + " input");
            }
            Values.Weight w = v.weight(node, i + 1);
            if (Shapes.numel(w.shape()) != channels) {
                return refuse(node, "its " + names[i] + " '" + w.source() + "' has shape " + Arrays.toString(w.shape())
                        + " for " + channels + " channels");
            }
            sources.put(names[i], w.source());
            put(initial, names[i], w.values());
        }
        double eps = Nodes.attrFloat(node, "epsilon", 1e-5);
        // ONNX keeps momentum of the running value, PyTorch of the batch's.
        double momentum = 1 - Nodes.attrFloat(node, "momentum", 0.9);
        BatchNorm2d bn = new BatchNorm2d((int) channels, eps, momentum);
        return one(node, new LayerOp(bn, in, LayerOp.spatial(in), in, sources, initial));
    }

    private static ReLU clip(NodeProto node, Values v) {
        double lo = Nodes.input(node, 1) == null ? Nodes.attrFloat(node, "min", Double.NEGATIVE_INFINITY)
                : v.constant(node, 1).scalar(Nodes.describe(node) + ": its min");
        double hi = Nodes.input(node, 2) == null ? Nodes.attrFloat(node, "max", Double.POSITIVE_INFINITY)
                : v.constant(node, 2).scalar(Nodes.describe(node) + ": its max");
        if (!(lo < hi)) {
            return refuse(node, "clips to the empty range [" + lo + ", " + hi + "]");
        }
        // float32 bounds written by the exporter: 6.0 stays 6.0, float's lowest means "no bound".
        return new ReLU(lo <= -Float.MAX_VALUE ? Double.NEGATIVE_INFINITY : lo,
                hi >= Float.MAX_VALUE ? Double.POSITIVE_INFINITY : hi);
    }

    private static Dropout dropout(NodeProto node, Values v) {
        double ratio = Nodes.input(node, 1) == null ? Nodes.attrFloat(node, "ratio", 0.5)
                : v.constant(node, 1).scalar(Nodes.describe(node) + ": its ratio");
        if (!(ratio >= 0 && ratio < 1)) {
            return refuse(node, "drops with ratio " + ratio + "; it must be in [0, 1)");
        }
        long seed = Nodes.attrInt(node, "seed", (node.getName() + "/" + node.getOutput(0)).hashCode());
        return new Dropout(ratio, seed);
    }

    /** Axes from the attribute (ReduceMean up to opset 17) or the second input (ReduceSum from opset 13). */
    private static ReduceOp reduce(NodeProto node, Values v, long[] in) {
        long[] axes = Nodes.input(node, 1) != null ? v.constant(node, 1).longs(Nodes.describe(node) + ": its axes")
                : Nodes.attrInts(node, "axes", null);
        if (axes == null || axes.length == 0) {
            return refuse(node, "reduces over all axes, the batch too");
        }
        long[] sample = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i] < 0 ? axes[i] + in.length + 1 : axes[i];
            if (a == 0) {
                return refuse(node, "reduces over the batch axis");
            }
            sample[i] = a - 1;
        }
        Arrays.sort(sample);
        return new ReduceOp(node.getOpType().equals("ReduceMean"), in, sample, Nodes.attrInt(node, "keepdims", 1) == 1);
    }

    private static List<GraphUnit.Step> cast(NodeProto node, long[] in) {
        long to = Nodes.attrInt(node, "to", 0);
        if (to != ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
            return refuse(node, "casts an activation to element type " + to + "; only float is trained");
        }
        return one(node, ShapeOp.reshape("Identity", in, in));
    }

    static void put(Map<String, float[]> initial, String name, float[] values) {
        if (values != null) {
            initial.put(name, values);
        }
    }
}
