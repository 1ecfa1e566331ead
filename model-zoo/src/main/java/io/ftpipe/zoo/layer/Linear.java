package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/** y = x W^T + b, with W of shape [out, in] as in PyTorch. */
public record Linear(int in, int out) implements Layer {

    @Override
    public String describe() {
        return "Linear(" + in + "->" + out + ")";
    }

    @Override
    public List<ParamSpec> params() {
        double bound = 1 / Math.sqrt(in);
        return List.of(ParamSpec.uniform("weight", bound, out, in), ParamSpec.uniform("bias", bound, out));
    }

    @Override
    public long[] outputShape(long[] shape) {
        return new long[]{out};
    }

    @Override
    public long flops(long[] shape) {
        return 2L * in * out;
    }

    @Override
    public String forward(ForwardScope s, String x, long[] shape) {
        s.stash(x);
        return s.g().op("Gemm", List.of(x, s.param("weight"), s.param("bias")), Attr.i("transB", 1));
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] shape) {
        GraphBuilder g = s.g();
        String x = s.stashed(0);
        s.grad("weight", g.op("Gemm", dy, x, Attr.i("transA", 1)));
        s.grad("bias", g.reduceSum(dy, false, 0));
        return s.needsInputGrad() ? g.op("MatMul", dy, s.param("weight")) : null;
    }
}
