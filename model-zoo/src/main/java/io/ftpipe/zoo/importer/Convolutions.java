package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;
import io.ftpipe.zoo.layer.AvgPool2d;
import io.ftpipe.zoo.layer.Conv2d;
import io.ftpipe.zoo.layer.Layer;
import io.ftpipe.zoo.layer.MaxPool2d;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Conv, MaxPool and AveragePool nodes (1-D and 2-D) onto the zoo's 2-D layers. */
final class Convolutions {
    private Convolutions() {
    }

    static List<GraphUnit.Step> conv(NodeProto node, Values v, long[] in) {
        checkRank(node, in);
        Values.Weight w = v.weight(node, 1);
        long group = Nodes.attrInt(node, "group", 1);
        if (w.shape().length != in.length + 1 || w.shape()[1] * group != in[0]) {
            return Catalog.refuse(node, "its weight '" + w.source() + "' of shape " + Arrays.toString(w.shape())
                    + " does not fit an input of per-sample shape " + Arrays.toString(in) + " in " + group + " groups");
        }
        long[] spatial = Arrays.copyOfRange(in, 1, in.length);
        Windows windows = Windows.of(node, spatial, Arrays.copyOfRange(w.shape(), 2, w.shape().length));
        Map<String, String> sources = new HashMap<>(Map.of("weight", w.source()));
        Map<String, float[]> initial = new HashMap<>();
        Catalog.put(initial, "weight", w.values());
        boolean bias = Nodes.input(node, 2) != null;
        if (bias) {
            Values.Weight b = v.weight(node, 2);
            if (b.shape().length != 1 || b.shape()[0] != w.shape()[0]) {
                return Catalog.refuse(node, "its bias '" + b.source() + "' has shape " + Arrays.toString(b.shape()));
            }
            sources.put("bias", b.source());
            Catalog.put(initial, "bias", b.values());
        }
        List<GraphUnit.Step> steps = new ArrayList<>();
        String x = node.getInput(0);
        long[] shape = in;
        if (windows.hasExtra()) {
            // Padding that differs between the sides: the difference as an explicit zero padding first.
            SliceOp pad = new SliceOp(true, in, perSample(in, windows.extraBegin()), perSample(in, windows.extraEnd()));
            String padded = node.getOutput(0) + "#padded";
            steps.add(new GraphUnit.Step(pad, List.of(x), List.of(padded)));
            x = padded;
            shape = pad.out();
        }
        Conv2d layer = new Conv2d((int) in[0], (int) w.shape()[0], windows.window(), (int) group, bias);
        steps.add(new GraphUnit.Step(layerOp(layer, shape, sources, initial), List.of(x), List.of(node.getOutput(0))));
        return steps;
    }

    static List<GraphUnit.Step> pool(NodeProto node, Values v, long[] in) {
        checkRank(node, in);
        long[] spatial = Arrays.copyOfRange(in, 1, in.length);
        if (Nodes.attr(node, "kernel_shape") == null) {
            return Catalog.refuse(node, "has no kernel_shape");
        }
        Windows windows = Windows.of(node, spatial, null);
        if (windows.hasExtra()) {
            return Catalog.refuse(node, "pads the two sides of an axis differently, which pooling does not support");
        }
        if (windows.window().dh() != 1 || windows.window().dw() != 1) {
            return Catalog.refuse(node, "dilated pooling is not supported");
        }
        Windows.checkFloorMode(node, spatial, windows);
        Layer layer = node.getOpType().equals("MaxPool") ? new MaxPool2d(windows.window())
                : new AvgPool2d(windows.window(), Nodes.attrInt(node, "count_include_pad", 0) == 1);
        return Catalog.one(node, layerOp(layer, in, Map.of(), Map.of()));
    }

    private static LayerOp layerOp(Layer layer, long[] in, Map<String, String> sources, Map<String, float[]> initial) {
        long[] layerIn = LayerOp.spatial(in);
        long[] out = LayerOp.unspatial(layer.outputShape(layerIn), in.length);
        return new LayerOp(layer, in, layerIn, out, sources, initial);
    }

    private static void checkRank(NodeProto node, long[] in) {
        if (in.length != 2 && in.length != 3) {
            Catalog.refuse(node, "takes a per-sample input of shape " + Arrays.toString(in)
                    + "; only 1-D [C, L] and 2-D [C, H, W] inputs are supported");
        }
    }

    /** Spatial (H, W) amounts onto a per-sample shape's axes (channels get none; 1-D has only W). */
    private static long[] perSample(long[] in, long[] hw) {
        return in.length == 2 ? new long[]{0, hw[1]} : new long[]{0, hw[0], hw[1]};
    }
}
