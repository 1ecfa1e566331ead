package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/**
 * clip(alpha * x + beta, 0, 1), or with {@code swish} x times that (HardSwish, alpha 1/6, beta
 * 1/2, as MobileNetV3 uses them). Training stashes the derivative per element; ONNX Runtime's
 * HardSigmoid and HardSwish kernels are float only, so they serve float32 evaluation and
 * everything else is composed of Mul, Add and Clip.
 */
public record HardSigmoid(double alpha, double beta, boolean swish) implements Elementwise {

    public static HardSigmoid hardSwish() {
        return new HardSigmoid(1.0 / 6, 0.5, true);
    }

    @Override
    public String describe() {
        return swish ? "HardSwish" : "HardSigmoid(" + alpha + ", " + beta + ")";
    }

    @Override
    public long flopsPerElement() {
        return 4;
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        GraphBuilder g = s.g();
        if (!s.training() && g.dtype() == DType.FLOAT32) {
            return swish ? g.op("HardSwish", x)
                    : g.op("HardSigmoid", x, Attr.f("alpha", (float) alpha), Attr.f("beta", (float) beta));
        }
        String z = g.add(g.mul(x, g.scalar(alpha)), g.scalar(beta));
        String h = g.op("Clip", List.of(z, g.scalar(0), g.scalar(1)));
        if (s.training()) {
            // alpha where the clip passed z through, 0 where it cut it.
            String slope = g.mul(g.op("Cast", g.op("Equal", z, h), Attr.i("to", g.dtype().onnxCode())), g.scalar(alpha));
            s.stash(swish ? g.add(h, g.mul(x, slope)) : slope);
        }
        return swish ? g.mul(x, h) : h;
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        return s.g().mul(dy, s.stashed(0, Shapes.batched(in)));
    }
}
