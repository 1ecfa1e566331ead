package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.ftpipe.zoo.layer.Shapes;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Small ONNX graphs, one or a few nodes of each kind the importer maps between an input and a
 * dense classifier over 3 classes, with random initializers: the cases of the imported ops'
 * gradient checks. Built with the project's GraphBuilder, as an exporter would write them.
 */
public final class TinyModels {

    /** One case: a name, and the imported model. */
    public record Case(String name, Model model) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The graph under construction: the builder, and random initializers. */
    public static final class Graph {
        final GraphBuilder g = new GraphBuilder("tiny", DType.FLOAT32);
        private final Random random;
        private int count;

        Graph(long seed) {
            random = new Random(seed);
        }

        public GraphBuilder g() {
            return g;
        }

        /** A float initializer with values uniform in [-0.5, 0.5] plus {@code offset}. */
        public String init(double offset, long... shape) {
            float[] v = new float[Math.toIntExact(Shapes.numel(shape))];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (offset + random.nextDouble() - 0.5);
            }
            return g.initializer("w" + (count++), shape, v);
        }
    }

    private TinyModels() {
    }

    /**
     * A model: input of per-sample shape {@code in}, then {@code body}, then Flatten and a Gemm to
     * 3 classes; {@code features} is the number of values per sample the body puts out.
     */
    public static ModelProto build(long[] in, long features, BiFunction<Graph, String, String> body) {
        Graph t = new Graph(in.length * 31L + features);
        String x = t.g.input("input", Shapes.batched(in));
        String y = t.g.op("Flatten", body.apply(t, x), Attr.i("axis", 1));
        String logits = t.g.op("Gemm", List.of(y, t.init(0, 3, features), t.init(0, 3)), Attr.i("transB", 1));
        t.g.output(logits, "logits");
        return t.g.toModel();
    }

    static Case imported(String name, ModelProto proto) {
        return new Case(name, OnnxImporter.fromProto(name, proto, ImportOptions.defaults()));
    }

    /** Every kind of node the importer maps, in small cases whose weights and inputs are random. */
    public static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(imported("conv1d", build(new long[]{2, 9}, 15, (t, x) -> t.g.op("Conv",
                List.of(x, t.init(0, 3, 2, 3), t.init(0, 3)), Attr.ints("pads", 1, 1), Attr.ints("strides", 2)))));
        c.add(imported("conv1d-depthwise-dilated", build(new long[]{3, 9}, 21, (t, x) -> t.g.op("Conv",
                List.of(x, t.init(0, 3, 1, 3)), Attr.i("group", 3), Attr.ints("dilations", 2), Attr.ints("pads", 1, 1)))));
        c.add(imported("conv2d-same-upper", build(new long[]{2, 5, 5}, 75, (t, x) -> t.g.op("Conv",
                List.of(x, t.init(0, 3, 2, 2, 2), t.init(0, 3)), Attr.s("auto_pad", "SAME_UPPER")))));
        c.add(imported("conv2d-asymmetric-pads", build(new long[]{2, 5, 4}, 18, (t, x) -> t.g.op("Conv",
                List.of(x, t.init(0, 3, 2, 3, 3)), Attr.ints("pads", 0, 1, 1, 0), Attr.ints("strides", 2, 1)))));
        c.add(imported("gemm-weight-in-out", build(new long[]{5}, 4, (t, x) -> t.g.op("Gemm",
                List.of(x, t.init(0, 5, 4), t.init(0, 1, 4))))));
        c.add(imported("matmul-add", build(new long[]{5}, 4, (t, x) -> t.g.add(t.g.op("MatMul", x, t.init(0, 5, 4)),
                t.init(0, 4)))));
        c.add(imported("matmul-transposed-weight", build(new long[]{5}, 4, (t, x) -> t.g.op("MatMul", x,
                t.g.transpose(t.init(0, 4, 5), 1, 0)))));
        c.add(imported("batchnorm-1d", build(new long[]{3, 6}, 18, (t, x) -> batchNorm(t, x, 3))));
        c.add(imported("batchnorm-features", build(new long[]{4}, 4, (t, x) -> batchNorm(t, x, 4))));
        c.add(imported("leaky-relu", build(new long[]{7}, 7, (t, x) -> t.g.op("LeakyRelu", x, Attr.f("alpha", 0.1f)))));
        c.add(imported("sigmoid", build(new long[]{7}, 7, (t, x) -> t.g.op("Sigmoid", x))));
        c.add(imported("tanh", build(new long[]{7}, 7, (t, x) -> t.g.op("Tanh", x))));
        c.add(imported("hard-sigmoid", build(new long[]{7}, 7, (t, x) -> t.g.op("HardSigmoid",
                t.g.mul(x, t.g.scalar(4)), Attr.f("alpha", 0.25f), Attr.f("beta", 0.4f)))));
        c.add(imported("hard-swish", build(new long[]{7}, 7, (t, x) -> t.g.op("HardSwish", t.g.mul(x, t.g.scalar(5))))));
        c.add(imported("clip", build(new long[]{7}, 7, (t, x) -> t.g.op("Clip",
                List.of(x, t.g.scalar(-0.5), t.g.scalar(0.7))))));
        c.add(imported("maxpool-1d", build(new long[]{2, 8}, 8, (t, x) -> t.g.op("MaxPool", x,
                Attr.ints("kernel_shape", 2), Attr.ints("strides", 2)))));
        c.add(imported("maxpool-2d-padded", build(new long[]{2, 5, 5}, 18, (t, x) -> t.g.op("MaxPool", x,
                Attr.ints("kernel_shape", 3, 3), Attr.ints("strides", 2, 2), Attr.ints("pads", 1, 1, 1, 1)))));
        c.add(imported("avgpool-2d", build(new long[]{2, 6, 6}, 18, (t, x) -> t.g.op("AveragePool", x,
                Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2)))));
        c.add(imported("avgpool-2d-padded-exclusive", build(new long[]{2, 5, 5}, 18, (t, x) -> t.g.op("AveragePool", x,
                Attr.ints("kernel_shape", 3, 3), Attr.ints("strides", 2, 2), Attr.ints("pads", 1, 1, 1, 1)))));
        c.add(imported("avgpool-1d-padded-inclusive", build(new long[]{2, 7}, 8, (t, x) -> t.g.op("AveragePool", x,
                Attr.ints("kernel_shape", 3), Attr.ints("strides", 2), Attr.ints("pads", 1, 1),
                Attr.i("count_include_pad", 1)))));
        c.add(imported("global-avg-pool-1d", build(new long[]{3, 5}, 3, (t, x) -> t.g.op("GlobalAveragePool", x))));
        c.add(imported("global-avg-pool-2d", build(new long[]{3, 4, 4}, 3, (t, x) -> t.g.op("GlobalAveragePool", x))));
        c.add(imported("reduce-mean-spatial", build(new long[]{3, 4, 2}, 3, (t, x) -> t.g().op("ReduceMean",
                t.g().op("Tanh", x), Attr.ints("axes", 2, -1), Attr.i("keepdims", 0)))));
        c.add(imported("reduce-sum-kept", build(new long[]{3, 4}, 4, (t, x) -> t.g().op("ReduceSum",
                List.of(t.g().op("Sigmoid", x), t.g().ints(1)), Attr.i("keepdims", 1)))));
        c.add(imported("reshape-by-shape", build(new long[]{2, 3, 2}, 12, TinyModels::viewAsBatchByMinusOne)));
        c.add(imported("transpose", build(new long[]{2, 3, 4}, 24, (t, x) -> t.g.op("Sigmoid",
                t.g.transpose(x, 0, 3, 1, 2)))));
        c.add(imported("squeeze-unsqueeze", build(new long[]{3, 4}, 12, (t, x) -> t.g.op("Squeeze",
                t.g.op("Tanh", t.g.unsqueeze(x, 2)), t.g.ints(2)))));
        c.add(imported("split-concat-slice", build(new long[]{4, 3}, 9, TinyModels::branches)));
        c.add(imported("pad", build(new long[]{2, 3}, 2 * 6, (t, x) -> t.g.op("Tanh", t.g.op("Pad", x,
                t.g.ints(0, 0, 1, 0, 0, 2))))));
        c.add(imported("scale-and-gate", build(new long[]{5}, 5, (t, x) -> {
            String scaled = t.g.div(t.g.mul(x, t.g.scalar(1.5)), t.g.floats(2, 3, 4, 5, 6));
            return t.g.mul(scaled, t.g.op("Sigmoid", x));
        })));
        c.add(imported("residual-and-shift", build(new long[]{3, 4}, 12, (t, x) -> {
            String y = t.g.op("Conv", List.of(x, t.init(0, 3, 3, 3)), Attr.ints("pads", 1, 1));
            return t.g.sub(t.g.add(y, x), t.g.scalar(0.25));
        })));
        return c.stream();
    }

    private static String batchNorm(Graph t, String x, long channels) {
        return t.g.op("BatchNormalization", List.of(x, t.init(1, channels), t.init(0, channels), t.init(0, channels),
                t.init(1, channels)), Attr.f("epsilon", 1e-5f), Attr.f("momentum", 0.9f));
    }

    /** x.view(x.size(0), -1) as torch.onnx.export writes it, after a convolution to have a weight first. */
    private static String viewAsBatchByMinusOne(Graph t, String x) {
        String y = t.g.op("Conv", List.of(x, t.init(0, 2, 2, 1, 1)));
        String batch = t.g.op("Gather", List.of(t.g.op("Shape", y), t.g.op("Constant", List.of(),
                Attr.tensor("value", TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE)
                        .addInt64Data(0).build()))), Attr.i("axis", 0));
        String target = t.g.op("Concat", List.of(t.g.unsqueeze(batch, 0), t.g.ints(-1)), Attr.i("axis", 0));
        return t.g.op("Reshape", y, target);
    }

    /** Channels split in two branches (ReLU, Tanh), joined again, then a slice of the channels. */
    private static String branches(Graph t, String x) {
        String[] parts = t.g.op("Split", List.of(x, t.g.ints(1, 3)), 2, Attr.i("axis", 1));
        String joined = t.g.op("Concat", List.of(t.g.op("Tanh", parts[1]), t.g.op("Sigmoid", parts[0])),
                Attr.i("axis", 1));
        return t.g.op("Slice", List.of(joined, t.g.ints(1), t.g.ints(4), t.g.ints(1)));
    }
}
