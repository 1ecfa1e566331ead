package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/** Max pooling; backward scatters the gradient to the argmax positions recorded in forward. */
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
        // Indices are flat positions over N*C*H*W of the input.
        String[] out = g.op("MaxPool", List.of(x), 2, attrs);
        s.stash(out[1], DType.INT64);
        return out[0];
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String size = g.op("Mul", g.op("Shape", g.reshape(dy, -1)), g.ints(Shapes.numel(in) / Shapes.numel(outputShape(in))));
        String zeros = g.op("ConstantOfShape", size, Attr.tensor("value", g.scalarTensor(0)));
        // Disjoint windows send each input position at most one gradient: no reduction needed.
        String reduction = kernel <= stride ? "none" : "add";
        String scattered = g.op("ScatterElements", List.of(zeros, g.reshape(s.stashed(0), -1), g.reshape(dy, -1)),
                Attr.i("axis", 0), Attr.s("reduction", reduction));
        return g.reshape(scattered, Shapes.batched(in));
    }
}
