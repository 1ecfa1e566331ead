package io.ftpipe.zoo.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.ftpipe.zoo.importer.GraphUnit;
import io.ftpipe.zoo.importer.ImportOptions;
import io.ftpipe.zoo.importer.OnnxImporter;
import io.ftpipe.zoo.model.Model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a model imported by {@link OnnxImporter} back as the user's own graph: the same nodes,
 * input and output names and shapes, with the trained weights and BatchNorm running statistics
 * in place of the initializers, and BatchNormalization and Dropout switched to inference (a
 * training-preserving export would otherwise normalise with each batch's statistics and drop
 * at random in ONNX Runtime).
 */
public final class ImportedModelExporter {
    private ImportedModelExporter() {
    }

    /** @param weights the trained values by model parameter name (as {@link Model#params} names them) */
    public static ModelProto toOnnx(ModelProto original, Map<String, float[]> weights) {
        Map<String, float[]> byInitializer = byInitializer(original, weights);
        GraphProto.Builder g = original.getGraph().toBuilder();
        for (TensorProto.Builder t : g.getInitializerBuilderList()) {
            float[] values = byInitializer.get(t.getName());
            if (values != null) {
                replaceData(t, values);
            }
        }
        Set<String> dropped = new HashSet<>();
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            if (n.getOpType().equals("BatchNormalization") || n.getOpType().equals("Dropout")) {
                // Only the first output is inference's; the rest are training statistics and masks.
                for (int i = 1; i < n.getOutputCount(); i++) {
                    dropped.add(n.getOutput(i));
                }
                String first = n.getOutput(0);
                n.clearOutput().addOutput(first);
                for (int i = n.getAttributeCount() - 1; i >= 0; i--) {
                    if (n.getAttribute(i).getName().equals("training_mode")) {
                        n.removeAttribute(i);
                    }
                }
                if (n.getOpType().equals("Dropout") && n.getInputCount() > 2) {
                    String data = n.getInput(0);
                    String ratio = n.getInput(1);
                    n.clearInput().addInput(data).addInput(ratio);
                }
            }
        }
        for (int i = g.getValueInfoCount() - 1; i >= 0; i--) {
            ValueInfoProto v = g.getValueInfo(i);
            if (dropped.contains(v.getName())) {
                g.removeValueInfo(i);
            }
        }
        return original.toBuilder().setGraph(g).build();
    }

    /** Writes atomically: a reader never sees half a model. */
    public static void write(ModelProto original, Map<String, float[]> weights, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.write(tmp, toOnnx(original, weights).toByteArray());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The trained values by the initializer each parameter was imported from. */
    private static Map<String, float[]> byInitializer(ModelProto original, Map<String, float[]> weights) {
        Model model = OnnxImporter.fromProto("export", original, ImportOptions.defaults());
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int u = 0; u < model.size(); u++) {
            GraphUnit unit = (GraphUnit) model.units().get(u).layer();
            for (var e : unit.sources().entrySet()) {
                String param = Model.unitPrefix(u) + e.getKey();
                float[] values = weights.get(param);
                if (values == null) {
                    throw new IllegalArgumentException("no weights for " + param + " (initializer '" + e.getValue() + "')");
                }
                out.put(e.getValue(), values);
            }
        }
        return out;
    }

    private static void replaceData(TensorProto.Builder t, float[] values) {
        long count = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
        if (count != values.length) {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' holds " + count + " values, the "
                    + "trained weights " + values.length);
        }
        boolean isDouble = t.getDataType() == TensorProto.DataType.DOUBLE_VALUE;
        ByteBuffer b = ByteBuffer.allocate(values.length * (isDouble ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (isDouble) {
                b.putDouble(v);
            } else {
                b.putFloat(v);
            }
        }
        t.clearFloatData().clearDoubleData().setRawData(ByteString.copyFrom(b.array()));
    }
}
