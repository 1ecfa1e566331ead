package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.Convolution;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;


/**
 * Average pooling over a window (no dilation). With padding, {@code countIncludePad} divides
 * every window by its full size (PyTorch's default) and otherwise by the positions inside the
 * input. Averaging is a depthwise convolution with a constant kernel, so backward is its
 * adjoint; float64 graphs (no AveragePool kernel in ONNX Runtime) run the forward that way too.
 */
public record AvgPool2d(Window w, boolean countIncludePad) implements Pooling {

    public AvgPool2d {
        if (w.dh() != 1 || w.dw() != 1) {
            throw new IllegalArgumentException("dilated average pooling is not supported: " + w);
        }
    }

    @Override
    public String describe() {
        return "AvgPool2d(" + w + ")";
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        GraphBuilder g = s.g();
        if (g.dtype() == DType.FLOAT32) {
            return g.op("AveragePool", x, Attr.ints("kernel_shape", w.kh(), w.kw()), Attr.ints("strides", w.sh(), w.sw()),
                    Attr.ints("pads", w.ph(), w.pw(), w.ph(), w.pw()), Attr.i("count_include_pad", countIncludePad ? 1 : 0));
        }
        String sums = Convolution.conv(g, x, g.ones(in[0], 1, w.kh(), w.kw()), null, geometry(in));
        return g.mul(sums, reciprocalCounts(g, in));
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String scaled = g.mul(dy, reciprocalCounts(g, in));
        return Convolution.convTranspose(g, scaled, g.ones(in[0], 1, w.kh(), w.kw()), geometry(in), in[0]);
    }

    private Convolution.Geometry geometry(long[] in) {
        return new Convolution.Geometry(in[1], in[2], w.kh(), w.kw(), w.sh(), w.sw(), w.ph(), w.pw(), 1, 1, in[0], in[0]);
    }

    /** 1 / (the number of input positions each window averages), broadcast over batch and channels. */
    private String reciprocalCounts(GraphBuilder g, long[] in) {
        if (countIncludePad || (w.ph() == 0 && w.pw() == 0)) {
            return g.scalar(1.0 / (w.kh() * w.kw()));
        }
        long oh = w.outH(in[1]);
        long ow = w.outW(in[2]);
        double[] r = new double[Math.toIntExact(oh * ow)];
        for (int i = 0; i < oh; i++) {
            long rows = inside((long) i * w.sh() - w.ph(), w.kh(), in[1]);
            for (int j = 0; j < ow; j++) {
                r[(int) (i * ow + j)] = 1.0 / (rows * inside((long) j * w.sw() - w.pw(), w.kw(), in[2]));
            }
        }
        return g.constant(new long[]{1, 1, oh, ow}, r);
    }

    private static long inside(long start, long size, long length) {
        return Math.min(start + size, length) - Math.max(start, 0);
    }
}
