package io.ftpipe.zoo.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Conv and ConvTranspose. ONNX Runtime's CPU provider implements them for float only, so float64
 * graphs (the gradient checks) get a decomposition into Pad, Slice and MatMul instead; the
 * float32-against-float64 tests prove the two agree.
 */
public final class Convolution {

    /**
     * Static geometry of one convolution; padding is the same on both sides of an axis.
     *
     * @param inH      input height (the batch and channel counts may be dynamic)
     * @param inW      input width
     * @param kernelH  kernel height (a gradient-of-weights convolution has a kernel as large as dy)
     * @param kernelW  kernel width
     * @param outputs  output channels
     */
    public record Geometry(long inH, long inW, long kernelH, long kernelW, long strideH, long strideW, long padH,
                           long padW, long dilationH, long dilationW, long group, long outputs) {

        /** Equal stride, padding and dilation on both axes. */
        public Geometry(long inH, long inW, long kernelH, long kernelW, long stride, long pad, long dilation,
                        long group, long outputs) {
            this(inH, inW, kernelH, kernelW, stride, stride, pad, pad, dilation, dilation, group, outputs);
        }

        public long outH() {
            return (inH + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1;
        }

        public long outW() {
            return (inW + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1;
        }
    }

    private Convolution() {
    }

    public static String conv(GraphBuilder g, String x, String w, String bias, Geometry c) {
        if (g.dtype() == DType.FLOAT32) {
            List<String> in = new ArrayList<>(List.of(x, w));
            if (bias != null) {
                in.add(bias);
            }
            return g.op("Conv", in, Attr.ints("kernel_shape", c.kernelH(), c.kernelW()),
                    Attr.ints("strides", c.strideH(), c.strideW()),
                    Attr.ints("pads", c.padH(), c.padW(), c.padH(), c.padW()),
                    Attr.ints("dilations", c.dilationH(), c.dilationW()), Attr.i("group", c.group()));
        }
        String padded = pad(g, x, c.padH(), c.padW(), c.padH(), c.padW());
        String y = matmulConv(g, padded, w, c.inH() + 2 * c.padH(), c.inW() + 2 * c.padW(), c);
        return bias == null ? y : g.add(y, g.reshape(bias, 1, c.outputs(), 1, 1));
    }

    /**
     * The transpose (adjoint) of {@link #conv} with the same weight: maps [N, outputs, outH, outW]
     * back to [N, C, inH, inW]. {@code c} describes the forward convolution; {@code channels} is C.
     * Stride 1 runs as a convolution with the flipped weight, which ONNX Runtime does about twice
     * as fast as its ConvTranspose.
     */
    public static String convTranspose(GraphBuilder g, String dy, String w, Geometry c, long channels) {
        long kh = c.kernelH();
        long kw = c.kernelW();
        long sh = c.strideH();
        long sw = c.strideW();
        // Input rows and columns the forward windows never reached come back as zeros.
        long outPadH = c.inH() - ((c.outH() - 1) * sh + c.dilationH() * (kh - 1) + 1 - 2 * c.padH());
        long outPadW = c.inW() - ((c.outW() - 1) * sw + c.dilationW() * (kw - 1) + 1 - 2 * c.padW());
        if (g.dtype() == DType.FLOAT32 && (sh > 1 || sw > 1)) {
            return g.op("ConvTranspose", List.of(dy, w), Attr.ints("kernel_shape", kh, kw),
                    Attr.ints("strides", sh, sw), Attr.ints("pads", c.padH(), c.padW(), c.padH(), c.padW()),
                    Attr.ints("dilations", c.dilationH(), c.dilationW()),
                    Attr.ints("output_padding", outPadH, outPadW), Attr.i("group", c.group()));
        }
        String flipped = flippedWeight(g, w, c, channels);
        // A padding wider than the kernel's reach makes an edge negative: Pad then crops.
        long edgeH = c.dilationH() * (kh - 1) - c.padH();
        long edgeW = c.dilationW() * (kw - 1) - c.padW();
        if (sh == 1 && sw == 1 && edgeH >= 0 && edgeW >= 0) {
            return conv(g, dy, flipped, null, new Geometry(c.outH(), c.outW(), kh, kw, 1, 1, edgeH, edgeW,
                    c.dilationH(), c.dilationW(), c.group(), channels));
        }
        // Zero-insert dy by the stride and pad by the edges (plus the output padding on the far side).
        long dilatedH = (c.outH() - 1) * sh + 1;
        long dilatedW = (c.outW() - 1) * sw + 1;
        String z = dy;
        if (sh > 1 || sw > 1) {
            String u = g.op("Pad", g.unsqueeze(dy, 3, 5), g.ints(0, 0, 0, 0, 0, 0, 0, 0, 0, sh - 1, 0, sw - 1));
            z = g.reshape(u, 0, c.outputs(), c.outH() * sh, c.outW() * sw);
            z = g.op("Slice", List.of(z, g.ints(0, 0), g.ints(dilatedH, dilatedW), g.ints(2, 3)));
        }
        String padded = pad(g, z, edgeH, edgeW, edgeH + outPadH, edgeW + outPadW);
        return conv(g, padded, flipped, null, new Geometry(dilatedH + 2 * edgeH + outPadH,
                dilatedW + 2 * edgeW + outPadW, kh, kw, 1, 1, 0, 0, c.dilationH(), c.dilationW(), c.group(), channels));
    }

    /** The weight of the adjoint: spatially flipped, in/out channels swapped within each group. */
    private static String flippedWeight(GraphBuilder g, String w, Geometry c, long channels) {
        long kh = c.kernelH();
        long kw = c.kernelW();
        long groups = c.group();
        String wt = g.reshape(w, groups, c.outputs() / groups, channels / groups, kh, kw);
        wt = g.reshape(g.transpose(wt, 0, 2, 1, 3, 4), channels, c.outputs() / groups, kh, kw);
        return g.op("Slice", List.of(wt, g.ints(-1, -1), g.ints(Long.MIN_VALUE, Long.MIN_VALUE), g.ints(2, 3),
                g.ints(-1, -1)));
    }

    /** Pads the two spatial axes; negative amounts crop. */
    private static String pad(GraphBuilder g, String x, long top, long left, long bottom, long right) {
        if (top == 0 && left == 0 && bottom == 0 && right == 0) {
            return x;
        }
        return g.op("Pad", x, g.ints(0, 0, top, left, 0, 0, bottom, right));
    }

    /**
     * Convolution of an already padded input as one batched MatMul over gathered patches, slicing
     * either once per kernel offset or once per output position, whichever is fewer.
     */
    private static String matmulConv(GraphBuilder g, String x, String w, long paddedH, long paddedW, Geometry c) {
        long kh = c.kernelH();
        long kw = c.kernelW();
        long sh = c.strideH();
        long sw = c.strideW();
        long dh = c.dilationH();
        long dw = c.dilationW();
        long oh = (paddedH - dh * (kh - 1) - 1) / sh + 1;
        long ow = (paddedW - dw * (kw - 1) - 1) / sw + 1;
        List<String> parts = new ArrayList<>();
        String cols;
        if (kh * kw <= oh * ow) {
            for (long a = 0; a < kh; a++) {
                for (long b = 0; b < kw; b++) {
                    String slice = g.op("Slice", List.of(x, g.ints(a * dh, b * dw),
                            g.ints(a * dh + sh * (oh - 1) + 1, b * dw + sw * (ow - 1) + 1), g.ints(2, 3),
                            g.ints(sh, sw)));
                    parts.add(g.unsqueeze(slice, 2));
                }
            }
            cols = g.reshape(g.op("Concat", parts, Attr.i("axis", 2)), 0, c.group(), -1, oh * ow);
        } else {
            for (long i = 0; i < oh; i++) {
                for (long j = 0; j < ow; j++) {
                    String patch = g.op("Slice", List.of(x, g.ints(i * sh, j * sw),
                            g.ints(i * sh + dh * (kh - 1) + 1, j * sw + dw * (kw - 1) + 1), g.ints(2, 3),
                            g.ints(dh, dw)));
                    parts.add(g.unsqueeze(patch, 4));
                }
            }
            cols = g.reshape(g.op("Concat", parts, Attr.i("axis", 4)), 0, c.group(), -1, oh * ow);
        }
        String weights = g.reshape(w, c.group(), c.outputs() / c.group(), -1);
        return g.reshape(g.op("MatMul", weights, cols), 0, c.outputs(), oh, ow);
    }
}
