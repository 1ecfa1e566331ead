package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the importer cannot train is refused with one line naming the node, its op and why. */
class ImportRefusalsTest {

    @Test
    void unsupportedOperator() {
        ModelProto m = TinyModels.build(new long[]{4}, 4, (t, x) -> t.g().op("Erf", x));
        assertEquals("node '" + node(m, "Erf").getName() + "' (Erf): operator Erf is not supported; supported: "
                + String.join(", ", Catalog.OPS), refusal(m));
    }

    @Test
    void secondGraphInput() {
        GraphBuilder g = new GraphBuilder("two", DType.FLOAT32);
        String a = g.input("image", -1, 4);
        String b = g.input("mask", -1, 4);
        g.output(g.op("Gemm", List.of(g.mul(a, b), g.initializer("w", new long[]{3, 4}, new float[12])),
                Attr.i("transB", 1)), "logits");
        assertEquals("graph input 'mask' is a second input (after 'image'); only models with one input can be trained",
                refusal(g.toModel()));
    }

    @Test
    void dynamicSampleDimension() {
        ModelProto m = TinyModels.build(new long[]{4}, 4, (t, x) -> t.g().op("Relu", x));
        var dim = TensorShapeProto.Dimension.newBuilder().setDimParam("features");
        ModelProto.Builder b = m.toBuilder();
        b.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().setDim(1, dim);
        assertEquals("graph input 'input' dimension 1 ('features') is dynamic; export with a fixed sample shape",
                refusal(b.build()));
    }

    /** x.view(x.size(0) * 2, -1): the reshape's target is computed from the batch size. */
    @Test
    void shapeComputedFromTheBatchSize() {
        ModelProto m = TinyModels.build(new long[]{4, 2}, 8, (t, x) -> {
            String batch = t.g().op("Gather", List.of(t.g().op("Shape", x), t.g().ints(0)), Attr.i("axis", 0));
            String doubled = t.g().mul(batch, t.g().ints(2));
            String view = t.g().op("Reshape", x, t.g().op("Concat", List.of(doubled, t.g().ints(-1)), Attr.i("axis", 0)));
            return t.g().reshape(view, 0, 8);
        });
        assertEquals("node '" + node(m, "Mul").getName() + "' (Mul): computes with the batch size, which is only known "
                + "while training", refusal(m));
    }

    @Test
    void opsetOutsideWhatTorchOnnxExportWrites() {
        ModelProto m = TinyModels.build(new long[]{4}, 4, (t, x) -> t.g().op("Relu", x));
        m = m.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("").setVersion(11)).build();
        assertEquals("the model uses ONNX opset 11; export it with opset_version between 13 and 17", refusal(m));
    }

    @Test
    void softmaxInsideTheNetwork() {
        ModelProto m = TinyModels.build(new long[]{4}, 4, (t, x) -> t.g().op("Softmax", x, Attr.i("axis", 1)));
        assertEquals("node '" + node(m, "Softmax").getName() + "' (Softmax): a softmax inside the network is not "
                + "supported; only a final one, which training replaces with its own softmax cross-entropy", refusal(m));
    }

    @Test
    void tiedWeights() {
        ModelProto m = TinyModels.build(new long[]{4}, 4, (t, x) -> {
            String w = t.init(0, 4, 4);
            return t.g().op("MatMul", t.g().op("MatMul", x, w), w);
        });
        NodeProto second = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMul")).skip(1)
                .findFirst().orElseThrow();
        assertEquals("node '" + second.getName() + "' (MatMul): uses weight 'w0', which node '"
                + node(m, "MatMul").getName() + "' (MatMul) uses too; tied weights are not supported", refusal(m));
    }

    @Test
    void productOfTwoActivations() {
        ModelProto m = TinyModels.build(new long[]{4}, 4, (t, x) -> t.g().op("MatMul", x, t.g().op("Gemm",
                List.of(x, t.init(0, 4, 4)), Attr.i("transB", 1))));
        assertEquals("node '" + node(m, "MatMul").getName() + "' (MatMul): multiplies two activations; only products "
                + "with a weight are supported", refusal(m));
    }

    @Test
    void batchStatisticsOutputUsedDownstream() {
        ModelProto m = TinyModels.build(new long[]{3}, 3, (t, x) -> {
            String[] out = t.g().op("BatchNormalization", List.of(x, t.init(1, 3), t.init(0, 3), t.init(0, 3),
                    t.init(1, 3)), 3, Attr.i("training_mode", 1));
            return t.g().add(out[0], out[1]);
        });
        NodeProto add = node(m, "Add");
        assertEquals("node '" + add.getName() + "' (Add): reads '" + add.getInput(1) + "', which the importer does not "
                + "compute (an extra output of a node, such as BatchNorm statistics, a dropout mask or pooling indices)",
                refusal(m));
    }

    @Test
    void batchAxisMoved() {
        ModelProto m = TinyModels.build(new long[]{4, 2}, 8, (t, x) -> t.g().transpose(x, 1, 0, 2));
        assertEquals("node '" + node(m, "Transpose").getName() + "' (Transpose): moves the batch axis (perm [1, 0, 2])",
                refusal(m));
    }

    @Test
    void outputThatIsNotLogits() {
        GraphBuilder g = new GraphBuilder("maps", DType.FLOAT32);
        String x = g.input("input", -1, 2, 4, 4);
        g.output(g.op("Conv", List.of(x, g.initializer("w", new long[]{3, 2, 1, 1}, new float[6]))), "map");
        assertEquals("graph output 'map' has per-sample shape [3, 4, 4]; a classifier's output must be "
                + "[batch, classes]", refusal(g.toModel()));
    }

    @Test
    void fileThatIsNotAnOnnxModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.writeString(file, "weights, probably");
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.read(file));
        assertEquals(true, e.getMessage().startsWith("'" + file + "' is not an ONNX model: "), e.getMessage());
    }

    private static String refusal(ModelProto m) {
        return assertThrows(ImportException.class, () -> OnnxImporter.fromProto("m", m, ImportOptions.defaults()))
                .getMessage();
    }

    private static NodeProto node(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).findFirst().orElseThrow();
    }
}
