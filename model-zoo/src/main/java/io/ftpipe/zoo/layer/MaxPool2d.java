package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/**
 * Max pooling. When the windows tile the input (kernel == stride, sides divisible), backward
 * multiplies dy by a mask of each window's maxima, shared equally between ties (a valid
 * subgradient; PyTorch gives it all to the first); otherwise it scatters dy to the argmax
 * positions recorded in forward. ONNX Runtime runs MaxPool with indices and ScatterElements
 * several times slower than the mask's few elementwise passes.
 * <p>
 * In float32 the mask is in x's own layout: each maximum is repeated over its window by a
 * nearest-neighbour Resize, which ONNX Runtime runs in its blocked layout. Resize and AveragePool
 * have no float64 kernels, so the float64 graphs of the gradient checks gather the windows with
 * SpaceToDepth instead, whose DepthToSpace in backward is about 3x slower than a Resize.
 */
public record MaxPool2d(int kernel, int stride) implements Layer {

    @Override
    public String describe() {
        return "MaxPool2d(k" + kernel + ", s" + stride + ")";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] in) {
        return new long[]{in[0], Shapes.convOut(in[1], kernel, stride, 0), Shapes.convOut(in[2], kernel, stride, 0)};
    }

    @Override
    public long flops(long[] in) {
        return Shapes.numel(outputShape(in)) * kernel * kernel;
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        GraphBuilder g = s.g();
        var attrs = new ai.onnx.proto.OnnxMl.AttributeProto[]{
                Attr.ints("kernel_shape", kernel, kernel), Attr.ints("strides", stride, stride)};
        if (!s.training()) {
            return g.op("MaxPool", x, attrs);
        }
        if (tiles(in)) {
            String y = g.op("MaxPool", x, attrs);
            if (g.dtype() == DType.FLOAT32) {
                String hits = g.op("Cast", g.op("Equal", x, upsample(g, y)), Attr.i("to", g.dtype().onnxCode()));
                s.stash(hits);
                s.stash(g.op("AveragePool", hits, attrs)); // the maxima's share of each window: count / k^2
            } else {
                String hits = g.op("Cast", g.op("Equal", windows(g, x, in), g.unsqueeze(y, 1)),
                        Attr.i("to", g.dtype().onnxCode()));
                s.stash(hits);
                s.stash(g.reduceSum(hits, true, 1));
            }
            return y;
        }
        // Indices are flat positions over N*C*H*W of the input.
        String[] out = g.op("MaxPool", List.of(x), 2, attrs);
        s.stash(out[1], DType.INT64);
        return out[0];
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        if (tiles(in) && g.dtype() == DType.FLOAT32) {
            String count = g.mul(s.stashed(1, Shapes.batched(outputShape(in))), g.scalar(kernel * kernel));
            return g.mul(upsample(g, g.div(dy, count)), s.stashed(0, Shapes.batched(in)));
        }
        if (tiles(in)) {
            String share = g.mul(s.stashed(0), g.div(g.unsqueeze(dy, 1), s.stashed(1)));
            return g.op("DepthToSpace", g.reshape(share, 0, -1, in[1] / kernel, in[2] / kernel),
                    Attr.i("blocksize", kernel), Attr.s("mode", "DCR"));
        }
        String zeros = g.reshape(g.op("ConstantOfShape", g.batchShape(dy, Shapes.numel(in)),
                Attr.tensor("value", g.scalarTensor(0))), -1);
        // Disjoint windows send each input position at most one gradient: no reduction needed.
        String reduction = kernel <= stride ? "none" : "add";
        String scattered = g.op("ScatterElements", List.of(zeros, g.reshape(s.stashed(0), -1), g.reshape(dy, -1)),
                Attr.i("axis", 0), Attr.s("reduction", reduction));
        return g.reshape(scattered, Shapes.batched(in));
    }

    /** Each value repeated over its k x k window. */
    private String upsample(GraphBuilder g, String v) {
        return g.op("Resize", List.of(v, "", g.floats(1, 1, kernel, kernel)), Attr.s("mode", "nearest"),
                Attr.s("coordinate_transformation_mode", "asymmetric"), Attr.s("nearest_mode", "floor"));
    }

    private boolean tiles(long[] in) {
        return kernel == stride && in[1] % kernel == 0 && in[2] % kernel == 0;
    }

    /** [N, k*k, C, H/k, W/k]: the window offsets moved in front of the channels, so one value per window broadcasts. */
    private String windows(GraphBuilder g, String x, long[] in) {
        String moved = g.op("SpaceToDepth", x, Attr.i("blocksize", kernel));
        return g.reshape(moved, 0, (long) kernel * kernel, in[0], in[1] / kernel, in[2] / kernel);
    }
}
