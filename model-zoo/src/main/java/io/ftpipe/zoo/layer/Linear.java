package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * y = x W^T + b, with W of shape [out, in] as in PyTorch, or y = x W with W stored [in, out]
 * ({@code transposed}, as some exported graphs hold it); the bias is optional.
 */
public record Linear(int in, int out, boolean bias, boolean transposed) implements Layer {

    public Linear(int in, int out) {
        this(in, out, true, false);
    }

    @Override
    public String describe() {
        return "Linear(" + in + "->" + out + (bias ? "" : ", no bias") + ")";
    }

    @Override
    public List<ParamSpec> params() {
        double bound = 1 / Math.sqrt(in);
        List<ParamSpec> p = new ArrayList<>();
        p.add(transposed ? ParamSpec.uniform("weight", bound, in, out) : ParamSpec.uniform("weight", bound, out, in));
        if (bias) {
            p.add(ParamSpec.uniform("bias", bound, out));
        }
        return p;
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
        List<String> inputs = new ArrayList<>(List.of(x, s.param("weight")));
        if (bias) {
            inputs.add(s.param("bias"));
        }
        return s.g().op("Gemm", inputs, Attr.i("transB", transposed ? 0 : 1));
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] shape) {
        GraphBuilder g = s.g();
        String x = s.stashed(0);
        s.grad("weight", transposed ? g.op("Gemm", x, dy, Attr.i("transA", 1)) : g.op("Gemm", dy, x, Attr.i("transA", 1)));
        if (bias) {
            s.grad("bias", g.reduceSum(dy, false, 0));
        }
        if (!s.needsInputGrad()) {
            return null;
        }
        return transposed ? g.op("Gemm", dy, s.param("weight"), Attr.i("transB", 1)) : g.op("MatMul", dy, s.param("weight"));
    }
}
