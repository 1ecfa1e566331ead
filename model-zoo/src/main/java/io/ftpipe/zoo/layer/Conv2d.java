package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.Convolution;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution with a window of any kernel, stride, padding and dilation, and groups (groups
 * == in == out is a depthwise convolution). Weight shape [out, in/groups, kh, kw]. A 1-D
 * convolution is one of height 1.
 */
public record Conv2d(int in, int out, Window w, int groups, boolean bias) implements Layer {

    public Conv2d {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels " + in + "->" + out + " not divisible by groups " + groups);
        }
    }

    /** Square kernel, stride and padding. */
    public Conv2d(int in, int out, int kernel, int stride, int pad, int groups, boolean bias) {
        this(in, out, Window.square(kernel, stride, pad), groups, bias);
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
        return "Conv2d(" + in + "->" + out + ", " + w + (groups > 1 ? ", g" + groups : "") + ")";
    }

    @Override
    public List<ParamSpec> params() {
        double bound = 1 / Math.sqrt((double) in / groups * w.kh() * w.kw());
        List<ParamSpec> p = new ArrayList<>();
        p.add(ParamSpec.uniform("weight", bound, out, in / groups, w.kh(), w.kw()));
        if (bias) {
            p.add(ParamSpec.uniform("bias", bound, out));
        }
        return p;
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[]{out, w.outH(s[1]), w.outW(s[2])};
    }

    @Override
    public long flops(long[] s) {
        long[] o = outputShape(s);
        return 2L * out * (in / groups) * w.kh() * w.kw() * o[1] * o[2];
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
        return w.kh() == 1 && w.kw() == 1 && w.sh() == 1 && w.sw() == 1 && w.ph() == 0 && w.pw() == 0 && groups == 1;
    }

    private Convolution.Geometry geometry(long[] shape) {
        return new Convolution.Geometry(shape[1], shape[2], w.kh(), w.kw(), w.sh(), w.sw(), w.ph(), w.pw(), w.dh(),
                w.dw(), groups, out);
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
     * dW as GEMMs over copies of x or of dy, whichever copies less: x kh*kw times ({@link #patchGrad})
     * or dy kw times plus x's rows ({@link #shiftGrad}); per output row and kernel row, that is
     * in * kw * outW values against (in + out) * paddedW. ONNX Runtime's own route, a convolution
     * with a dy-sized kernel, runs im2col per image into a GEMM only k*k wide: several times
     * slower than either.
     */
    private String weightGrad(GraphBuilder g, String x, String dy, long[] shape) {
        if (groups > 1) {
            return groups == in && groups == out
                    ? depthwiseWeightGrad(g, x, dy, shape) : groupedWeightGrad(g, x, dy, shape);
        }
        long[] o = outputShape(shape);
        long width = shape[2] + 2L * w.pw();
        String xT = g.op("Pad", g.transpose(x, 1, 0, 2, 3), g.ints(0, 0, w.ph(), w.pw(), 0, 0, w.ph(), w.pw()));
        String dyT = g.transpose(dy, 1, 0, 2, 3);
        // Shifting columns of dy reaches only undilated columns of x.
        return w.dw() > 1 || (long) in * w.kw() * o[2] <= (long) (in + out) * width
                ? patchGrad(g, xT, dyT, o) : shiftGrad(g, xT, dyT, o, width);
    }

    /**
     * One GEMM: dy [out, N * outH * outW] times the patches of x, one strided Slice per kernel
     * offset from x as [in, N, paddedH, paddedW], so they come out laid out as
     * [in * kh * kw, N * outH * outW] without a transpose.
     */
    private String patchGrad(GraphBuilder g, String xT, String dyT, long[] o) {
        List<String> offsets = new ArrayList<>();
        for (long a = 0; a < w.kh(); a++) {
            for (long b = 0; b < w.kw(); b++) {
                long top = a * w.dh();
                long left = b * w.dw();
                offsets.add(g.unsqueeze(g.op("Slice", List.of(xT, g.ints(top, left),
                        g.ints(top + w.sh() * (o[1] - 1) + 1, left + w.sw() * (o[2] - 1) + 1), g.ints(2, 3),
                        g.ints(w.sh(), w.sw()))), 1));
            }
        }
        String patches = g.reshape(g.op("Concat", offsets, Attr.i("axis", 1)), (long) in * w.kh() * w.kw(), -1);
        return g.reshape(g.op("Gemm", g.reshape(dyT, out, -1), patches, Attr.i("transB", 1)), out, in, w.kh(), w.kw());
    }

    /**
     * dW[o, i, a, b] = sum over samples n, output rows h and padded columns c of
     * dy_b[n, o, h, c] * x[n, i, sh * h + dh * a, c], where dy_b holds dy's column w at column
     * sw * w + b and zeros elsewhere. So each kernel row a is one GEMM of the kw shifted dy_b,
     * [out * kw, N * outH * paddedW], with x's rows dh * a, dh * a + sh, ... as they lie in memory.
     */
    private String shiftGrad(GraphBuilder g, String xT, String dyT, long[] o, long width) {
        int kw = w.kw();
        long dilatedW = (o[2] - 1) * w.sw() + 1;
        if (w.sw() > 1) {
            String spread = g.op("Pad", g.unsqueeze(dyT, 4), g.ints(0, 0, 0, 0, 0, 0, 0, 0, 0, w.sw() - 1));
            dyT = g.op("Slice", List.of(g.reshape(spread, out, 0, o[1], -1), g.ints(0), g.ints(dilatedW), g.ints(3)));
        }
        String wide = g.op("Pad", dyT, g.ints(0, 0, 0, kw - 1, 0, 0, 0, width - dilatedW));
        List<String> shifts = new ArrayList<>();
        for (long b = 0; b < kw; b++) {
            shifts.add(g.unsqueeze(g.op("Slice", List.of(wide, g.ints(kw - 1 - b), g.ints(kw - 1 - b + width),
                    g.ints(3))), 1));
        }
        String shifted = g.reshape(g.op("Concat", shifts, Attr.i("axis", 1)), (long) out * kw, -1);
        List<String> rows = new ArrayList<>();
        for (long a = 0; a < w.kh(); a++) {
            long top = a * w.dh();
            String xa = g.op("Slice", List.of(xT, g.ints(top), g.ints(top + w.sh() * (o[1] - 1) + 1), g.ints(2),
                    g.ints(w.sh())));
            rows.add(g.unsqueeze(g.op("Gemm", shifted, g.reshape(xa, in, -1), Attr.i("transB", 1)), 0));
        }
        // [a, (o, b), i] to [o, i, a, b].
        String dW = g.reshape(g.op("Concat", rows, Attr.i("axis", 0)), w.kh(), out, kw, in);
        return g.transpose(dW, 1, 3, 0, 2);
    }

    /**
     * Depthwise dW[c, 0, a, b] = sum over n, h, w of dy * (x shifted by the tap (a, b)). Each shift
     * is a depthwise convolution with a constant one-hot kernel, which ONNX Runtime runs in its
     * blocked (NCHWc) layout; the products and their sums ({@link #channelSums}) stay in that
     * layout, so no full-size tensor is reordered back. With stride 1 and "same" padding a tap's
     * shift splits into a row shift of x and the opposite column shift of dy: kh + kw shifts for
     * the kh*kw products instead of kh*kw plus one to bring dy itself into the blocked layout.
     * Every other route tried (im2col by a convolution with a dy-sized kernel, Slice-gathered
     * patches, GEMMs over shifted rows) copies x k*k times with single-threaded kernels and was slower.
     */
    private String depthwiseWeightGrad(GraphBuilder g, String x, String dy, long[] shape) {
        long[] o = outputShape(shape);
        List<String> perTap = new ArrayList<>();
        boolean same = w.sh() == 1 && w.sw() == 1 && w.dh() == 1 && w.dw() == 1 && 2 * w.ph() == w.kh() - 1
                && 2 * w.pw() == w.kw() - 1;
        if (same) {
            List<String> dyColumns = new ArrayList<>();
            for (int b = 0; b < w.kw(); b++) {
                dyColumns.add(shift(g, dy, w.ph(), w.kw() - 1 - b, o));
            }
            for (int a = 0; a < w.kh(); a++) {
                String xRow = shift(g, x, a, w.pw(), shape);
                for (String dyColumn : dyColumns) {
                    perTap.add(channelSums(g, g.mul(xRow, dyColumn), o));
                }
            }
        } else {
            // Only a convolution's output enters the blocked layout: dy goes through a 1x1 identity kernel.
            String blockedDy = Convolution.conv(g, dy, g.ones(out, 1, 1, 1), null, new Convolution.Geometry(o[1], o[2],
                    1, 1, 1, 0, 1, groups, out));
            for (int a = 0; a < w.kh(); a++) {
                for (int b = 0; b < w.kw(); b++) {
                    perTap.add(channelSums(g, g.mul(shift(g, x, a, b, shape), blockedDy), o));
                }
            }
        }
        String byTap = g.reshape(g.op("Concat", perTap, Attr.i("axis", 0)), (long) w.kh() * w.kw(), out);
        return g.reshape(g.transpose(byTap, 1, 0), out, 1, w.kh(), w.kw());
    }

    /** {@code v} (per-sample shape {@code vShape}) through this layer's window with only its tap (a, b) set to 1. */
    private String shift(GraphBuilder g, String v, int a, int b, long[] vShape) {
        double[] oneHot = new double[out * w.kh() * w.kw()];
        for (int c = 0; c < out; c++) {
            oneHot[(c * w.kh() + a) * w.kw() + b] = 1;
        }
        return Convolution.conv(g, v, g.constant(new long[]{out, 1, w.kh(), w.kw()}, oneHot), null,
                new Convolution.Geometry(vShape[1], vShape[2], w.kh(), w.kw(), w.sh(), w.sw(), w.ph(), w.pw(), w.dh(),
                        w.dw(), groups, out));
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
     * the kernel dilated by the stride; the forward dilation becomes this convolution's stride.
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
        var geometry = new Convolution.Geometry(shape[1], shape[2], o[1], o[2], w.dh(), w.dw(), w.ph(), w.pw(),
                w.sh(), w.sw(), in, (long) in * co);
        String c = Convolution.conv(g, input, kernels, null, geometry);
        // With stride > 1 the rows the forward window never reached give extra taps: crop them.
        if (geometry.outH() != w.kh() || geometry.outW() != w.kw()) {
            c = g.op("Slice", List.of(c, g.ints(0, 0), g.ints(w.kh(), w.kw()), g.ints(2, 3)));
        }
        // c is [1, in * co, kh, kw], ordered (group, ci, co): reorder to (group, co, ci).
        String dW = g.transpose(g.reshape(c, groups, ci, co, w.kh(), w.kw()), 0, 2, 1, 3, 4);
        return g.reshape(dW, out, ci, w.kh(), w.kw());
    }
}
