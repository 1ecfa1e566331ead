package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.DType;
import io.ftpipe.zoo.onnx.GraphBuilder;

/** x where x > 0, alpha * x elsewhere. Stashes its slope (1 or alpha) per element. */
public record LeakyReLU(double alpha) implements Elementwise {

    @Override
    public String describe() {
        return "LeakyReLU(" + alpha + ")";
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        GraphBuilder g = s.g();
        if (!s.training() && g.dtype() == DType.FLOAT32) {
            return g.op("LeakyRelu", x, Attr.f("alpha", (float) alpha));
        }
        String positive = g.op("Cast", g.op("Greater", x, g.scalar(0)), Attr.i("to", g.dtype().onnxCode()));
        String slope = g.add(g.mul(positive, g.scalar(1 - alpha)), g.scalar(alpha));
        s.stash(slope);
        // ONNX Runtime has no float64 LeakyRelu; in float32 its own kernel is one pass.
        return g.dtype() == DType.FLOAT32 ? g.op("LeakyRelu", x, Attr.f("alpha", (float) alpha)) : g.mul(x, slope);
    }

    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        return s.g().mul(dy, s.stashed(0, Shapes.batched(in)));
    }
}
