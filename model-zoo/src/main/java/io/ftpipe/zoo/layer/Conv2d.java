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

    /** A 1x1 convolution is a matrix product over channels: its backward is two GEMMs. */
    private String pointwiseBackward(BackwardScope s, GraphBuilder g, String x, String dy, long[] shape) {
        long positions = shape[1] * shape[2];
        String xT = g.reshape(g.transpose(g.reshape(x, -1, in, positions), 1, 0, 2), in, -1);
        String dyT = g.reshape(g.transpose(g.reshape(dy, -1, out, positions), 1, 0, 2), out, -1);
        s.grad("weight", g.reshape(g.op("Gemm", dyT, xT, Attr.i("transB", 1)), out, in, 1, 1));
        if (!s.needsInputGrad()) {
            return null;
        }
        String wT = g.transpose(g.reshape(s.param("weight"), out, in), 1, 0);
        return g.reshape(g.op("MatMul", wT, g.reshape(dy, -1, out, positions)), -1, in, shape[1], shape[2]);
    }

    /**
     * dW[o,i] = sum over the batch of correlate(x[n,i], dy[n,o]): a convolution whose batch is x's
     * channels and whose channels are the batch, with dy (likewise swapped) as the kernel dilated
     * by the stride. With groups, x's channels become one image of (channel, sample) planes and
     * each input channel a group, so the group count stays static while the batch is not.
     */
    private String weightGrad(GraphBuilder g, String x, String dy, long[] shape) {
        long[] o = outputShape(shape);
        int ci = in / groups;
        int co = out / groups;
        String input = g.transpose(x, 1, 0, 2, 3);
        String kernels = g.transpose(dy, 1, 0, 2, 3);
        if (groups > 1) {
            input = g.reshape(input, 1, -1, shape[1], shape[2]);
            if (ci > 1) {
                // Every input channel of group gi pairs with each of the group's co outputs.
                kernels = g.reshape(kernels, groups, 1, co, -1, o[1], o[2]);
                kernels = g.op("Expand", kernels, g.ints(groups, ci, co, 1, 1, 1));
                kernels = g.reshape(kernels, (long) in * co, -1, o[1], o[2]);
            }
        }
        var geometry = new Convolution.Geometry(shape[1], shape[2], o[1], o[2], 1, pad, stride,
                groups > 1 ? in : 1, groups > 1 ? (long) in * co : out);
        String c = Convolution.conv(g, input, kernels, null, geometry);
        // With stride > 1 the rows the forward window never reached give extra taps: crop them.
        if (geometry.outH() != kernel || geometry.outW() != kernel) {
            c = g.op("Slice", List.of(c, g.ints(0, 0), g.ints(kernel, kernel), g.ints(2, 3)));
        }
        if (groups == 1) {
            return g.transpose(c, 1, 0, 2, 3);
        }
        // c is [1, in * co, k, k], ordered (group, ci, co): reorder to (group, co, ci).
        String w = g.transpose(g.reshape(c, groups, ci, co, kernel, kernel), 0, 2, 1, 3, 4);
        return g.reshape(w, out, ci, kernel, kernel);
    }
}
