package io.ftpipe.zoo.layer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/**
 * Max pooling over a window (padding is never a maximum; no dilation). When the windows tile
 * the input (kernel == stride, no padding, sides divisible), backward multiplies dy by a mask of
 * each window's maxima, shared equally between ties (a valid subgradient; PyTorch gives it all
 * to the first); otherwise it scatters dy to the argmax positions recorded in forward. ONNX
 * Runtime runs MaxPool with indices and ScatterElements several times slower than the mask's few
 * elementwise passes.
 * <p>
 * In float32 the mask is in x's own layout: each maximum is repeated over its window by a
 * nearest-neighbour Resize, which ONNX Runtime runs in its blocked layout. Resize and AveragePool
 * have no float64 kernels, so the float64 graphs of the gradient checks compare x, reshaped to
 * [N, C, H/kh, kh, W/kw, kw], with each window's maximum instead.
 */
public record MaxPool2d(Window w) implements Pooling {

    public MaxPool2d {
        if (w.dh() != 1 || w.dw() != 1) {
            throw new IllegalArgumentException("dilated max pooling is not supported: " + w);
        }
    }

    /** Square kernel and stride, no padding. */
    public MaxPool2d(int kernel, int stride) {
        this(Window.square(kernel, stride, 0));
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + (w.ph() == 0 && w.pw() == 0 && w.kh() == w.kw() && w.sh() == w.sw()
                ? "k" + w.kh() + ", s" + w.sh() : w.toString()) + ")";
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        GraphBuilder g = s.g();
        AttributeProto[] attrs = {Attr.ints("kernel_shape", w.kh(), w.kw()), Attr.ints("strides", w.sh(), w.sw()),
                Attr.ints("pads", w.ph(), w.pw(), w.ph(), w.pw())};
        if (!s.training()) {
            return g.op("MaxPool", x, attrs);
        }
        if (tiles(in)) {
            String y = g.op("MaxPool", x, attrs);
            if (g.dtype() == DType.FLOAT32) {
                String hits = g.op("Cast", g.op("Equal", x, upsample(g, y)), Attr.i("to", g.dtype().onnxCode()));
                s.stash(hits);
                s.stash(g.op("AveragePool", hits, attrs)); // the maxima's share of each window: count / (kh * kw)
            } else {
                String hits = g.op("Cast", g.op("Equal", windows(g, x, in), g.unsqueeze(y, 3, 5)),
                        Attr.i("to", g.dtype().onnxCode()));
                s.stash(hits);
                s.stash(g.reduceSum(hits, true, 3, 5));
            }
            return y;
        }
        // Indices are flat positions over N*C*H*W of the (unpadded) input.
        String[] out = g.op("MaxPool", List.of(x), 2, attrs);
        s.stash(out[1], DType.INT64);
        return out[0];
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        if (tiles(in) && g.dtype() == DType.FLOAT32) {
            String count = g.mul(s.stashed(1, Shapes.batched(outputShape(in))), g.scalar(w.kh() * w.kw()));
            return g.mul(upsample(g, g.div(dy, count)), s.stashed(0, Shapes.batched(in)));
        }
        if (tiles(in)) {
            String share = g.mul(s.stashed(0), g.div(g.unsqueeze(dy, 3, 5), s.stashed(1)));
            return g.reshape(share, 0, in[0], in[1], in[2]);
        }
        String zeros = g.reshape(g.op("ConstantOfShape", g.batchShape(dy, Shapes.numel(in)),
                Attr.tensor("value", g.scalarTensor(0))), -1);
        // Disjoint windows send each input position at most one gradient: no reduction needed.
        String reduction = w.kh() <= w.sh() && w.kw() <= w.sw() ? "none" : "add";
        String scattered = g.op("ScatterElements", List.of(zeros, g.reshape(s.stashed(0), -1), g.reshape(dy, -1)),
                Attr.i("axis", 0), Attr.s("reduction", reduction));
        return g.reshape(scattered, Shapes.batched(in));
    }

    /** Each value repeated over its kh x kw window. */
    private String upsample(GraphBuilder g, String v) {
        return g.op("Resize", List.of(v, "", g.floats(1, 1, w.kh(), w.kw())), Attr.s("mode", "nearest"),
                Attr.s("coordinate_transformation_mode", "asymmetric"), Attr.s("nearest_mode", "floor"));
    }

    private boolean tiles(long[] in) {
        return w.kh() == w.sh() && w.kw() == w.sw() && w.ph() == 0 && w.pw() == 0 && in[1] % w.kh() == 0
                && in[2] % w.kw() == 0;
    }

    /** [N, C, H/kh, kh, W/kw, kw]: each window's rows and columns on axes of their own. */
    private String windows(GraphBuilder g, String x, long[] in) {
        return g.reshape(x, 0, in[0], in[1] / w.kh(), w.kh(), in[2] / w.kw(), w.kw());
    }
}
