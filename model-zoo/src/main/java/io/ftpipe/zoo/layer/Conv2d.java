package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.Convolution;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution with square kernel, stride, padding and groups (groups == in == out is a
 * depthwise convolution). Weight shape [out, in/groups, k, k].
 */
public record Conv2d(int in, int out, int kernel, int stride, int pad, int groups, boolean bias) implements Layer {

    public Conv2d {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels " + in + "->" + out + " not divisible by groups " + groups);
        }
    }

    public static Conv2d of(int in, int out, int kernel, int stride, int pad) {
        return new Conv2d(in, out, kernel, stride, pad, 1, true);
    }

    public static Conv2d depthwise(int channels, int kernel, int stride, int pad) {
        return new Conv2d(channels, channels, kernel, stride, pad, channels, false);
    }

    public static Conv2d pointwise(int in, int out) {
        return new Conv2d(in, out, 1, 1, 0, 1, false);
    }

    @Override
    public String describe() {
        return "Conv2d(" + in + "->" + out + ", k" + kernel + ", s" + stride + ", p" + pad
                + (groups > 1 ? ", g" + groups : "") + ")";
    }

    @Override
    public List<ParamSpec> params() {
        double bound = 1 / Math.sqrt((double) in / groups * kernel * kernel);
        List<ParamSpec> p = new ArrayList<>();
        p.add(ParamSpec.uniform("weight", bound, out, in / groups, kernel, kernel));
        if (bias) {
            p.add(ParamSpec.uniform("bias", bound, out));
        }
        return p;
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[]{out, Shapes.convOut(s[1], kernel, stride, pad), Shapes.convOut(s[2], kernel, stride, pad)};
    }

    @Override
    public long flops(long[] s) {
        long[] o = outputShape(s);
        return 2L * out * (in / groups) * kernel * kernel * o[1] * o[2];
    }

    @Override
    public String forward(ForwardScope s, String x, long[] shape) {
        s.stash(x);
        return Convolution.conv(s.g(), x, s.param("weight"), bias ? s.param("bias") : null, geometry(shape));
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] shape) {
        GraphBuilder g = s.g();
        String x = s.stashed(0, Shapes.batched(shape));
        if (bias) {
            s.grad("bias", g.reduceSum(dy, false, 0, 2, 3));
        }
        if (pointwise()) {
            return pointwiseBackward(s, g, x, dy, shape);
        }
        s.grad("weight", weightGrad(g, x, dy, shape));
        return s.needsInputGrad() ? Convolution.convTranspose(g, dy, s.param("weight"), geometry(shape), in) : null;
    }

    private boolean pointwise() {
        return kernel == 1 && stride == 1 && pad == 0 && groups == 1;
    }

    private Convolution.Geometry geometry(long[] shape) {
        return new Convolution.Geometry(shape[1], shape[2], kernel, kernel, stride, pad, 1, groups, out);
    }

    /**
     * A 1x1 convolution is a matrix product over channels: its backward is two GEMMs. The weight
     * gradient is the per-sample dy x^T summed over the batch; ONNX Runtime fuses the transpose
     * into its batched GEMM, so no activation is copied.
     */
    private String pointwiseBackward(BackwardScope s, GraphBuilder g, String x, String dy, long[] shape) {
        long positions = shape[1] * shape[2];
        // Reshapes keep the batch with 0, not -1, so that shape inference still knows it downstream.
        String perSample = g.op("MatMul", g.reshape(dy, 0, out, positions),
                g.transpose(g.reshape(x, 0, in, positions), 0, 2, 1));
        s.grad("weight", g.reshape(g.reduceSum(perSample, false, 0), out, in, 1, 1));
        if (!s.needsInputGrad()) {
            return null;
        }
        String wT = g.transpose(g.reshape(s.param("weight"), out, in), 1, 0);
        return g.reshape(g.op("MatMul", wT, g.reshape(dy, 0, out, positions)), 0, in, shape[1], shape[2]);
    }

    /**
     * dW as GEMMs over copies of x or of dy, whichever copies less: x k*k times ({@link #patchGrad})
     * or dy k times plus x's rows ({@link #shiftGrad}); per output row and kernel row, that is
     * in * k * outW values against (in + out) * paddedW. ONNX Runtime's own route, a convolution
     * with a dy-sized kernel, runs im2col per image into a GEMM only k*k wide: several times
     * slower than either.
     */
    private String weightGrad(GraphBuilder g, String x, String dy, long[] shape) {
        if (groups > 1) {
            return groups == in && groups == out
                    ? depthwiseWeightGrad(g, x, dy, shape) : groupedWeightGrad(g, x, dy, shape);
        }
        long[] o = outputShape(shape);
        long width = shape[2] + 2 * pad;
        String xT = g.op("Pad", g.transpose(x, 1, 0, 2, 3), g.ints(0, 0, pad, pad, 0, 0, pad, pad));
        String dyT = g.transpose(dy, 1, 0, 2, 3);
        return (long) in * kernel * o[2] <= (long) (in + out) * width
                ? patchGrad(g, xT, dyT, o) : shiftGrad(g, xT, dyT, o, width);
    }

    /**
     * One GEMM: dy [out, N * outH * outW] times the patches of x, one strided Slice per kernel
     * offset from x as [in, N, paddedH, paddedW], so they come out laid out as
     * [in * k * k, N * outH * outW] without a transpose.
     */
    private String patchGrad(GraphBuilder g, String xT, String dyT, long[] o) {
        List<String> offsets = new ArrayList<>();
        for (long a = 0; a < kernel; a++) {
            for (long b = 0; b < kernel; b++) {
                offsets.add(g.unsqueeze(g.op("Slice", List.of(xT, g.ints(a, b),
                        g.ints(a + stride * (o[1] - 1) + 1, b + stride * (o[2] - 1) + 1), g.ints(2, 3),
                        g.ints(stride, stride))), 1));
            }
        }
        String patches = g.reshape(g.op("Concat", offsets, Attr.i("axis", 1)), (long) in * kernel * kernel, -1);
        return g.reshape(g.op("Gemm", g.reshape(dyT, out, -1), patches, Attr.i("transB", 1)), out, in, kernel, kernel);
    }

    /**
     * dW[o, i, a, b] = sum over samples n, output rows h and padded columns c of
     * dy_b[n, o, h, c] * x[n, i, stride * h + a, c], where dy_b holds dy's column w at column
     * stride * w + b and zeros elsewhere. So each kernel row a is one GEMM of the k shifted dy_b,
     * [out * k, N * outH * paddedW], with x's rows a, a + stride, ... as they lie in memory.
     */
    private String shiftGrad(GraphBuilder g, String xT, String dyT, long[] o, long width) {
        long dilatedW = (o[2] - 1) * stride + 1;
        if (stride > 1) {
            String spread = g.op("Pad", g.unsqueeze(dyT, 4), g.ints(0, 0, 0, 0, 0, 0, 0, 0, 0, stride - 1));
            dyT = g.op("Slice", List.of(g.reshape(spread, out, 0, o[1], -1), g.ints(0), g.ints(dilatedW), g.ints(3)));
        }
        String wide = g.op("Pad", dyT, g.ints(0, 0, 0, kernel - 1, 0, 0, 0, width - dilatedW));
        List<String> shifts = new ArrayList<>();
        for (long b = 0; b < kernel; b++) {
            shifts.add(g.unsqueeze(g.op("Slice", List.of(wide, g.ints(kernel - 1 - b), g.ints(kernel - 1 - b + width),
                    g.ints(3))), 1));
        }
        String shifted = g.reshape(g.op("Concat", shifts, Attr.i("axis", 1)), (long) out * kernel, -1);
        List<String> rows = new ArrayList<>();
        for (long a = 0; a < kernel; a++) {
            String xa = g.op("Slice", List.of(xT, g.ints(a), g.ints(a + stride * (o[1] - 1) + 1), g.ints(2), g.ints(stride)));
            rows.add(g.unsqueeze(g.op("Gemm", shifted, g.reshape(xa, in, -1), Attr.i("transB", 1)), 0));
        }
        // [a, (o, b), i] to [o, i, a, b].
        String dW = g.reshape(g.op("Concat", rows, Attr.i("axis", 0)), kernel, out, kernel, in);
        return g.transpose(dW, 1, 3, 0, 2);
    }

    /**
     * Depthwise dW[c, 0, a, b] = sum over n, h, w of dy * (x shifted by the tap (a, b)). Each shift
     * is a depthwise convolution with a constant one-hot kernel, which ONNX Runtime runs in its
     * blocked (NCHWc) layout; the products and their sums ({@link #channelSums}) stay in that
     * layout, so no full-size tensor is reordered back. With stride 1 and "same" padding a tap's
     * shift splits into a row shift of x and the opposite column shift of dy: 2k shifts for the
     * k*k products instead of k*k plus one to bring dy itself into the blocked layout. Every other
     * route tried (im2col by a convolution with a dy-sized kernel, Slice-gathered patches, GEMMs
     * over shifted rows) copies x k*k times with single-threaded kernels and was slower.
     */
    private String depthwiseWeightGrad(GraphBuilder g, String x, String dy, long[] shape) {
        long[] o = outputShape(shape);
        List<String> perTap = new ArrayList<>();
        if (stride == 1 && 2 * pad == kernel - 1) {
            List<String> dyColumns = new ArrayList<>();
            for (int b = 0; b < kernel; b++) {
                dyColumns.add(shift(g, dy, pad, kernel - 1 - b, o));
            }
            for (int a = 0; a < kernel; a++) {
                String xRow = shift(g, x, a, pad, shape);
                for (String dyColumn : dyColumns) {
                    perTap.add(channelSums(g, g.mul(xRow, dyColumn), o));
                }
            }
        } else {
            // Only a convolution's output enters the blocked layout: dy goes through a 1x1 identity kernel.
            String blockedDy = Convolution.conv(g, dy, g.ones(out, 1, 1, 1), null, new Convolution.Geometry(o[1], o[2],
                    1, 1, 1, 0, 1, groups, out));
            for (int a = 0; a < kernel; a++) {
                for (int b = 0; b < kernel; b++) {
                    perTap.add(channelSums(g, g.mul(shift(g, x, a, b, shape), blockedDy), o));
                }
            }
        }
        String byTap = g.reshape(g.op("Concat", perTap, Attr.i("axis", 0)), kernel * kernel, out);
        return g.reshape(g.transpose(byTap, 1, 0), out, 1, kernel, kernel);
    }

    /** {@code v} (per-sample shape {@code vShape}) through this layer's window with only its tap (a, b) set to 1. */
    private String shift(GraphBuilder g, String v, int a, int b, long[] vShape) {
        double[] oneHot = new double[out * kernel * kernel];
        for (int c = 0; c < out; c++) {
            oneHot[(c * kernel + a) * kernel + b] = 1;
        }
        return Convolution.conv(g, v, g.constant(new long[]{out, 1, kernel, kernel}, oneHot), null,
                new Convolution.Geometry(vShape[1], vShape[2], kernel, kernel, stride, pad, 1, groups, out));
    }

    /**
     * Per-channel sums over batch and positions, as [C]. In float32, GlobalAveragePool, which ONNX
     * Runtime keeps in the blocked layout; it has no float64 kernel, so the gradient checks' graphs
     * take a plain ReduceSum.
     */
    private static String channelSums(GraphBuilder g, String v, long[] vShape) {
        if (g.dtype() == DType.FLOAT64) {
            return g.reduceSum(v, false, 0, 2, 3);
        }
        return g.mul(g.reduceSum(g.op("GlobalAveragePool", v), false, 0, 2, 3), g.scalar(vShape[1] * vShape[2]));
    }

    /**
     * Grouped (not depthwise) dW[o,i] = sum over the batch of correlate(x[n,i], dy[n,o]): a
     * convolution of one image of (channel, sample) planes, a group per input channel (so the
     * group count stays static while the batch is not), with dy, channels and batch swapped, as
     * the kernel dilated by the stride.
     */
    private String groupedWeightGrad(GraphBuilder g, String x, String dy, long[] shape) {
        long[] o = outputShape(shape);
        int ci = in / groups;
        int co = out / groups;
        String input = g.reshape(g.transpose(x, 1, 0, 2, 3), 1, -1, shape[1], shape[2]);
        String kernels = g.transpose(dy, 1, 0, 2, 3);
        if (ci > 1) {
            // Every input channel of group gi pairs with each of the group's co outputs.
            kernels = g.reshape(kernels, groups, 1, co, -1, o[1], o[2]);
            kernels = g.op("Expand", kernels, g.ints(groups, ci, co, 1, 1, 1));
            kernels = g.reshape(kernels, (long) in * co, -1, o[1], o[2]);
        }
        var geometry = new Convolution.Geometry(shape[1], shape[2], o[1], o[2], 1, pad, stride, in, (long) in * co);
        String c = Convolution.conv(g, input, kernels, null, geometry);
        // With stride > 1 the rows the forward window never reached give extra taps: crop them.
        if (geometry.outH() != kernel || geometry.outW() != kernel) {
            c = g.op("Slice", List.of(c, g.ints(0, 0), g.ints(kernel, kernel), g.ints(2, 3)));
        }
        // c is [1, in * co, k, k], ordered (group, ci, co): reorder to (group, co, ci).
        String w = g.transpose(g.reshape(c, groups, ci, co, kernel, kernel), 0, 2, 1, 3, 4);
        return g.reshape(w, out, ci, kernel, kernel);
    }
}
