package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.Convolution;
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
        String x = s.stashed(0);
        long[] o = outputShape(shape);
        s.grad("weight", groups == 1 ? weightGrad(g, x, dy, shape, o) : groupedWeightGrad(g, x, dy, shape, o));
        if (bias) {
            s.grad("bias", g.reduceSum(dy, false, 0, 2, 3));
        }
        return s.needsInputGrad() ? Convolution.convTranspose(g, dy, s.param("weight"), geometry(shape), in) : null;
    }

    private Convolution.Geometry geometry(long[] shape) {
        return new Convolution.Geometry(shape[1], shape[2], kernel, kernel, stride, pad, 1, groups, out);
    }

    /**
     * dW[o,i] = sum over batch of correlate(x[n,i], dy[n,o]): a convolution of x with channels and
     * batch swapped, by dy likewise swapped, dilated by the stride.
     */
    private String weightGrad(GraphBuilder g, String x, String dy, long[] shape, long[] o) {
        var geometry = new Convolution.Geometry(shape[1], shape[2], o[1], o[2], 1, pad, stride, 1, out);
        String c = Convolution.conv(g, g.transpose(x, 1, 0, 2, 3), g.transpose(dy, 1, 0, 2, 3), null, geometry);
        // With stride > 1 the rows the forward window never reached give extra taps: crop them.
        boolean exact = geometry.outH() == kernel && geometry.outW() == kernel;
        if (!exact) {
            c = g.op("Slice", List.of(c, g.ints(0, 0), g.ints(kernel, kernel), g.ints(2, 3)));
        }
        return g.transpose(c, 1, 0, 2, 3);
    }

    /**
     * Grouped and depthwise: the batch cannot join the group count (groups is static, the batch is
     * not), so unfold x into its k*k shifted windows with a constant one-hot grouped convolution
     * and contract with dy per group.
     */
    private String groupedWeightGrad(GraphBuilder g, String x, String dy, long[] shape, long[] o) {
        int kk = kernel * kernel;
        double[] eye = new double[in * kk * kk];
        for (int c = 0; c < in; c++) {
            for (int j = 0; j < kk; j++) {
                eye[(c * kk + j) * kk + j] = 1;
            }
        }
        String windows = Convolution.conv(g, x, g.constant(new long[]{(long) in * kk, 1, kernel, kernel}, eye), null,
                new Convolution.Geometry(shape[1], shape[2], kernel, kernel, stride, pad, 1, in, (long) in * kk));
        int ci = in / groups;
        int co = out / groups;
        long positions = o[1] * o[2];
        String u = g.reshape(windows, -1, groups, ci, kk, positions);
        String d = g.reshape(dy, -1, groups, co, positions);
        String w = g.op("Einsum", u, d, Attr.s("equation", "ngikp,ngop->goik"));
        return g.reshape(w, out, ci, kernel, kernel);
    }
}
