package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ftpipe.zoo.layer.AvgPool2d;
import io.ftpipe.zoo.layer.Conv2d;
import io.ftpipe.zoo.layer.GlobalAvgPool;
import io.ftpipe.zoo.layer.Linear;
import io.ftpipe.zoo.layer.MaxPool2d;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.Unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an ONNX inference model exported by PyTorch into a trainable {@link Model}: every node
 * becomes an op with a forward and a backward from standard ONNX ops, the initializers become
 * the starting weights, and the graph is cut into partition units ({@link GraphUnit}s) wherever
 * one tensor carries everything onward. A model that cannot be trained is refused with an
 * {@link ImportException} naming the node and the reason.
 */
public final class OnnxImporter {
    private OnnxImporter() {
    }

    public static Model read(Path file) {
        return read(file, ImportOptions.defaults());
    }

    public static Model read(Path file, ImportOptions options) {
        return fromProto(modelName(file), parse(file), options);
    }

    /** Reads an ONNX file; a file that is not one is refused with the reason. */
    public static ModelProto parse(Path file) {
        try {
            return ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException("'" + file + "' is not an ONNX model: " + e.getMessage());
        } catch (IOException e) {
            throw new ImportException("cannot read '" + file + "': " + e.getMessage());
        }
    }

    public static Model fromProto(String name, ModelProto model, ImportOptions options) {
        Signature signature = Signature.of(model);
        GraphWalk walk = new GraphWalk(model, signature, options);
        long[] logits = walk.steps().isEmpty() ? signature.sample() : shapeOf(walk, walk.output());
        if (logits.length != 1) {
            throw new ImportException("graph output '" + signature.output() + "' has per-sample shape "
                    + Arrays.toString(logits) + "; a classifier's output must be [batch, classes]");
        }
        List<Integer> live = contributing(walk.steps(), walk.output());
        if (live.isEmpty()) {
            throw new ImportException("graph output '" + signature.output() + "' is the input itself; nothing to train");
        }
        List<GraphUnit.Step> steps = live.stream().map(walk.steps()::get).toList();
        List<String> origins = live.stream().map(walk.origins()::get).toList();
        List<Partitioner.Node> nodes = steps.stream()
                .map(s -> new Partitioner.Node(s.inputs(), s.outputs(), isMain(s.op()))).toList();
        List<Integer> starts = Partitioner.unitStarts(signature.input(), nodes);
        List<List<String>> unitOrigins = new ArrayList<>();
        for (int u = 0; u < starts.size(); u++) {
            unitOrigins.add(origins.subList(starts.get(u), u + 1 < starts.size() ? starts.get(u + 1) : steps.size()));
        }
        List<String> names = UnitNames.of(unitOrigins);
        List<Unit> units = new ArrayList<>();
        for (int u = 0; u < starts.size(); u++) {
            int from = starts.get(u);
            int to = u + 1 < starts.size() ? starts.get(u + 1) : steps.size();
            String in = u == 0 ? signature.input() : Partitioner.carried(signature.input(), nodes, from);
            String out = to < steps.size() ? Partitioner.carried(signature.input(), nodes, to) : walk.output();
            GraphUnit unit = new GraphUnit(in, out, shapeOf(walk, in), shapeOf(walk, out), steps.subList(from, to));
            units.add(new Unit(names.get(u), unit));
        }
        return new Model(name, signature.sample(), (int) logits[0], units);
    }

    /** Indices of the steps the output depends on, in order; the rest is dead code. */
    private static List<Integer> contributing(List<GraphUnit.Step> steps, String output) {
        Set<String> needed = new HashSet<>(List.of(output));
        List<Integer> out = new ArrayList<>();
        for (int k = steps.size() - 1; k >= 0; k--) {
            if (steps.get(k).outputs().stream().anyMatch(needed::contains)) {
                needed.addAll(steps.get(k).inputs());
                out.add(0, k);
            }
        }
        return out;
    }

    private static boolean isMain(Op op) {
        return op instanceof LayerOp l && (l.layer() instanceof Conv2d || l.layer() instanceof Linear
                || l.layer() instanceof MaxPool2d || l.layer() instanceof AvgPool2d || l.layer() instanceof GlobalAvgPool);
    }

    private static long[] shapeOf(GraphWalk walk, String tensor) {
        return walk.shape(tensor);
    }

    private static String modelName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - ".onnx".length()) : n;
    }
}
