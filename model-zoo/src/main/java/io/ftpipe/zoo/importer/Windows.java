package io.ftpipe.zoo.importer;

import ai.onnx.proto.OnnxMl.NodeProto;
import io.ftpipe.zoo.layer.Window;

import java.util.Arrays;

/**
 * The window of a Conv, MaxPool or AveragePool node from its attributes (kernel_shape, strides,
 * pads or auto_pad, dilations), as a 2-D {@link Window}: a 1-D node's becomes one of height 1.
 * Padding that differs between the two sides of an axis is split into the window's symmetric
 * part and an {@code extra} zero padding before it. Pure.
 *
 * @param extraBegin per spatial axis (H, W), padding added before the window's own
 * @param extraEnd   per spatial axis, padding added after
 */
record Windows(Window window, long[] extraBegin, long[] extraEnd) {

    boolean hasExtra() {
        return Arrays.stream(extraBegin).anyMatch(p -> p != 0) || Arrays.stream(extraEnd).anyMatch(p -> p != 0);
    }

    /**
     * @param spatial the input's spatial size, 1 or 2 axes
     * @param kernel  the kernel's spatial size (from the weight, or kernel_shape)
     */
    static Windows of(NodeProto node, long[] spatial, long[] kernel) {
        int d = spatial.length;
        long[] k = Nodes.attrInts(node, "kernel_shape", kernel);
        long[] s = Nodes.attrInts(node, "strides", ones(d));
        long[] dil = Nodes.attrInts(node, "dilations", ones(d));
        if (k.length != d || s.length != d || dil.length != d) {
            throw ImportException.at(node, "its kernel, strides or dilations do not have " + d + " entries");
        }
        long[] begin = new long[d];
        long[] end = new long[d];
        String autoPad = Nodes.attrString(node, "auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                long[] pads = Nodes.attrInts(node, "pads", new long[2 * d]);
                if (pads.length != 2 * d) {
                    throw ImportException.at(node, "its pads do not have " + 2 * d + " entries");
                }
                System.arraycopy(pads, 0, begin, 0, d);
                System.arraycopy(pads, d, end, 0, d);
            }
            case "VALID" -> {
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < d; i++) {
                    long out = (spatial[i] + s[i] - 1) / s[i];
                    long total = Math.max(0, (out - 1) * s[i] + (k[i] - 1) * dil[i] + 1 - spatial[i]);
                    begin[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    end[i] = total - begin[i];
                }
            }
            default -> throw ImportException.at(node, "auto_pad " + autoPad + " is not an ONNX padding mode");
        }
        long[] sym = new long[d];
        long[] extraBegin = new long[2];
        long[] extraEnd = new long[2];
        int offset = 2 - d;
        for (int i = 0; i < d; i++) {
            if (begin[i] < 0 || end[i] < 0) {
                throw ImportException.at(node, "negative padding is not supported");
            }
            sym[i] = Math.min(begin[i], end[i]);
            extraBegin[offset + i] = begin[i] - sym[i];
            extraEnd[offset + i] = end[i] - sym[i];
        }
        Window w = d == 1
                ? new Window(1, (int) k[0], 1, (int) s[0], 0, (int) sym[0], 1, (int) dil[0])
                : new Window((int) k[0], (int) k[1], (int) s[0], (int) s[1], (int) sym[0], (int) sym[1],
                (int) dil[0], (int) dil[1]);
        return new Windows(w, extraBegin, extraEnd);
    }

    /**
     * Refuses ceil_mode when it changes the output size (a last window hanging over the edge);
     * where it does not, floor and ceil agree and the node is an ordinary pooling.
     */
    static void checkFloorMode(NodeProto node, long[] spatial, Windows w) {
        if (Nodes.attrInt(node, "ceil_mode", 0) == 0) {
            return;
        }
        long[] k = {w.window().kh(), w.window().kw()};
        long[] s = {w.window().sh(), w.window().sw()};
        long[] p = {2L * w.window().ph() + w.extraBegin()[0] + w.extraEnd()[0],
                2L * w.window().pw() + w.extraBegin()[1] + w.extraEnd()[1]};
        long[] in2 = spatial.length == 1 ? new long[]{1, spatial[0]} : spatial;
        for (int i = 0; i < 2; i++) {
            long span = in2[i] + p[i] - k[i];
            if (span % s[i] != 0) {
                throw ImportException.at(node, "ceil_mode=1 makes a last window that hangs over the edge; "
                        + "export with ceil_mode=False or an input size that the windows tile");
            }
        }
    }

    private static long[] ones(int n) {
        long[] v = new long[n];
        Arrays.fill(v, 1);
        return v;
    }
}
