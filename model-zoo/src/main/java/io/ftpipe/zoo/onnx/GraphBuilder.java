package io.ftpipe.zoo.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one ONNX graph (opset 17). Values are named strings; {@link #op} returns fresh names.
 * Floating values take the graph's {@link #dtype()}, so the same layer code emits float32
 * graphs for training and float64 graphs for gradient checks.
 */
public final class GraphBuilder {
    public static final int OPSET = 17;
    /** Symbolic name of the batch dimension; a shape entry of -1 means "batch". */
    public static final String BATCH = "N";

    private final String name;
    private final DType dtype;
    private final List<NodeProto.Builder> nodes = new ArrayList<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final Set<String> inputNames = new HashSet<>();
    private final Set<String> outputNames = new HashSet<>();
    private final Map<String, String> renames = new HashMap<>();
    private final Map<String, String> metadata = new java.util.LinkedHashMap<>();
    private int counter;

    public GraphBuilder(String name, DType dtype) {
        this.name = name;
        this.dtype = dtype;
    }

    public DType dtype() {
        return dtype;
    }

    /** True once {@code value} is declared as a graph input or an initializer. */
    public boolean hasInput(String value) {
        return inputNames.contains(value);
    }

    /** A key-value pair stored in the model (e.g. the preprocessing an exported model expects). */
    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** Declares a graph input of the graph's floating type. */
    public String input(String value, long... shape) {
        return input(value, dtype, shape);
    }

    public String input(String value, DType type, long... shape) {
        inputs.add(valueInfo(value, type, shape));
        inputNames.add(value);
        return value;
    }

    /** Declares a graph input with unknown shape (a stash whose shape only the forward graph knows). */
    public String inputAnyShape(String value, DType type) {
        inputs.add(valueInfo(value, type, null));
        inputNames.add(value);
        return value;
    }

    /**
     * Makes {@code value} a graph output called {@code exposedName}. Renames the producing node's
     * output where it can (no copy); graph inputs and values already exposed go through Identity.
     */
    public void output(String value, String exposedName, DType type) {
        if (!value.equals(exposedName)) {
            if (inputNames.contains(value) || outputNames.contains(value) || renames.containsValue(value)
                    || renames.containsKey(value)) {
                node("Identity", List.of(value), List.of(exposedName));
            } else {
                renames.put(value, exposedName);
            }
        }
        outputs.add(valueInfo(exposedName, type, null));
        outputNames.add(exposedName);
    }

    public void output(String value, String exposedName) {
        output(value, exposedName, dtype);
    }

    /** Adds an initializer (a weight baked into the graph, as in an exported inference model). */
    public String initializer(String value, long[] shape, float[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        TensorProto.Builder t = TensorProto.newBuilder().setName(value).setDataType(DType.FLOAT32.onnxCode())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        initializers.add(t.build());
        inputNames.add(value);
        return value;
    }

    /** One node with one output; returns the output's fresh name. */
    public String op(String opType, List<String> in, AttributeProto... attrs) {
        return op(opType, in, 1, attrs)[0];
    }

    public String op(String opType, String a, AttributeProto... attrs) {
        return op(opType, List.of(a), attrs);
    }

    public String op(String opType, String a, String b, AttributeProto... attrs) {
        return op(opType, List.of(a, b), attrs);
    }

    public String[] op(String opType, List<String> in, int outputCount, AttributeProto... attrs) {
        String[] out = new String[outputCount];
        for (int i = 0; i < outputCount; i++) {
            out[i] = fresh(opType);
        }
        node(opType, in, List.of(out), attrs);
        return out;
    }

    private void node(String opType, List<String> in, List<String> out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType + "_node"));
        n.addAllInput(in).addAllOutput(out);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        nodes.add(n);
    }

    private String fresh(String hint) {
        return hint.toLowerCase() + "_" + (counter++);
    }

    // ---- constants -------------------------------------------------------------------------

    /** A scalar of the graph's floating type. */
    public String scalar(double v) {
        return constant(tensor(dtype, new long[0], new double[]{v}));
    }

    /** A 1-D tensor of the graph's floating type. */
    public String floats(double... v) {
        return constant(tensor(dtype, new long[]{v.length}, v));
    }

    public String ints(long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(DType.INT64.onnxCode()).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return constant(t.build());
    }

    /** A constant tensor of the graph's floating type with the given shape. */
    public String constant(long[] shape, double[] values) {
        return constant(tensor(dtype, shape, values));
    }

    /** A constant of ones with the given shape, of the graph's floating type. */
    public String ones(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[Math.toIntExact(n)];
        Arrays.fill(v, 1);
        return constant(shape, v);
    }

    private String constant(TensorProto t) {
        return op("Constant", List.of(), Attr.tensor("value", t));
    }

    /** A typed scalar tensor, e.g. for ConstantOfShape's value attribute. */
    public TensorProto scalarTensor(double v) {
        return tensor(dtype, new long[]{1}, new double[]{v});
    }

    private static TensorProto tensor(DType type, long[] shape, double[] v) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(type.onnxCode());
        for (long d : shape) {
            t.addDims(d);
        }
        for (double x : v) {
            if (type == DType.FLOAT64) {
                t.addDoubleData(x);
            } else {
                t.addFloatData((float) x);
            }
        }
        return t.build();
    }

    // ---- common ops, for readable layer code ----------------------------------------------

    public String add(String a, String b) {
        return op("Add", a, b);
    }

    public String sub(String a, String b) {
        return op("Sub", a, b);
    }

    public String mul(String a, String b) {
        return op("Mul", a, b);
    }

    public String div(String a, String b) {
        return op("Div", a, b);
    }

    public String reshape(String a, long... shape) {
        return op("Reshape", a, ints(shape));
    }

    public String transpose(String a, long... perm) {
        return op("Transpose", a, Attr.ints("perm", perm));
    }

    public String reduceSum(String a, boolean keepDims, long... axes) {
        return op("ReduceSum", List.of(a, ints(axes)), Attr.i("keepdims", keepDims ? 1 : 0));
    }

    public String reduceMean(String a, boolean keepDims, long... axes) {
        return op("ReduceMean", List.of(a), Attr.ints("axes", axes), Attr.i("keepdims", keepDims ? 1 : 0));
    }

    public String unsqueeze(String a, long... axes) {
        return op("Unsqueeze", a, ints(axes));
    }

    /** The batch size of {@code a} as a scalar of the graph's floating type. */
    public String batchSize(String a) {
        String n = op("Gather", List.of(op("Shape", a), ints(0)), Attr.i("axis", 0));
        return op("Cast", op("Squeeze", n), Attr.i("to", dtype.onnxCode()));
    }

    /** The shape [batch of {@code like}, dims...] as an int64 tensor. */
    public String batchShape(String like, long... dims) {
        String batch = op("Slice", List.of(op("Shape", like), ints(0), ints(1)));
        return op("Concat", List.of(batch, ints(dims)), Attr.i("axis", 0));
    }

    // ---- model ------------------------------------------------------------------------------

    public ModelProto toModel() {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name);
        for (NodeProto.Builder n : nodes) {
            NodeProto.Builder copy = n.clone();
            for (int i = 0; i < copy.getInputCount(); i++) {
                copy.setInput(i, renames.getOrDefault(copy.getInput(i), copy.getInput(i)));
            }
            for (int i = 0; i < copy.getOutputCount(); i++) {
                copy.setOutput(i, renames.getOrDefault(copy.getOutput(i), copy.getOutput(i)));
            }
            g.addNode(copy);
        }
        g.addAllInput(inputs).addAllOutput(outputs).addAllInitializer(initializers);
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("ftpipe-model-zoo")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(g);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    public byte[] toBytes() {
        return toModel().toByteArray();
    }

    private static ValueInfoProto valueInfo(String value, DType type, long[] shape) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.onnxCode());
        if (shape != null) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (long d : shape) {
                s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH)
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(value).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }
}
