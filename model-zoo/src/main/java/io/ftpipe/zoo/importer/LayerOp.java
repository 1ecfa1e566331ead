package io.ftpipe.zoo.importer;

import io.ftpipe.zoo.layer.BackwardScope;
import io.ftpipe.zoo.layer.ForwardScope;
import io.ftpipe.zoo.layer.Layer;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A node carried out by one of the zoo's layers, so an imported convolution or BatchNorm emits
 * exactly what the zoo's does. The layer sees {@code layerIn} (a 1-D [C, L] input as [C, 1, L]);
 * its output is reshaped to {@code out}, the node's own output shape.
 *
 * @param initial the file's values by local parameter name (empty: the layer's own initialisation)
 */
record LayerOp(Layer layer, long[] in, long[] layerIn, long[] out, Map<String, String> sources,
               Map<String, float[]> initial) implements Op {

    /** An elementwise layer, which takes any shape. */
    static LayerOp elementwise(Layer layer, long[] in) {
        return new LayerOp(layer, in, in, in, Map.of(), Map.of());
    }

    /** [C] to [C, 1, 1] and [C, L] to [C, 1, L]: what 2-D layers take. */
    static long[] spatial(long[] in) {
        return switch (in.length) {
            case 1 -> new long[]{in[0], 1, 1};
            case 2 -> new long[]{in[0], 1, in[1]};
            case 3 -> in;
            default -> throw new ImportException("per-sample shape " + Arrays.toString(in) + " has "
                    + in.length + " dimensions; only 1-D and 2-D layers are supported");
        };
    }

    /** The inverse of {@link #spatial} for an output of the layer, for an input of rank {@code rank}. */
    static long[] unspatial(long[] layerOut, int rank) {
        return switch (rank) {
            case 1 -> new long[]{layerOut[0]};
            case 2 -> new long[]{layerOut[0], layerOut[2]};
            default -> layerOut;
        };
    }

    @Override
    public String describe() {
        return layer.describe();
    }

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        for (ParamSpec p : layer.params()) {
            float[] values = initial.get(p.name());
            out.add(values == null ? p : p.withInitial(values));
        }
        return out;
    }

    @Override
    public List<long[]> outputShapes() {
        return List.of(out);
    }

    @Override
    public long flops() {
        return layer.flops(layerIn);
    }

    @Override
    public List<String> forward(ForwardScope s, List<String> x) {
        String y = layer.forward(s, reshape(s.g(), x.get(0), in, layerIn), layerIn);
        return List.of(reshape(s.g(), y, layer.outputShape(layerIn), out));
    }

    @Override
    public List<String> backward(BackwardScope s, List<String> dy, boolean[] needs) {
        String d = reshape(s.g(), dy.get(0), out, layer.outputShape(layerIn));
        String dx = layer.backward(s, d, layerIn);
        return Arrays.asList(dx == null ? null : reshape(s.g(), dx, layerIn, in));
    }

    /** Keeps the batch with 0, so that shape inference still knows it downstream. */
    static String reshape(GraphBuilder g, String v, long[] from, long[] to) {
        if (Arrays.equals(from, to)) {
            return v;
        }
        long[] target = new long[to.length + 1];
        System.arraycopy(to, 0, target, 1, to.length);
        return g.reshape(v, target);
    }
}
