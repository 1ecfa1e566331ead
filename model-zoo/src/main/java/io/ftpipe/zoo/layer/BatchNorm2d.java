package io.ftpipe.zoo.layer;

import io.ftpipe.zoo.onnx.Attr;
import io.ftpipe.zoo.onnx.GraphBuilder;

import java.util.List;

/**
 * Batch normalisation over N, H, W. Training uses batch statistics and publishes updated running
 * statistics (PyTorch's rule: momentum 0.1, unbiased variance); evaluation uses the running ones.
 */
public record BatchNorm2d(int channels, double eps, double momentum) implements Layer {

    public static BatchNorm2d of(int channels) {
        return new BatchNorm2d(channels, 1e-5, 0.1);
    }

    @Override
    public String describe() {
        return "BatchNorm2d(" + channels + ")";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.constant("weight", 1, channels), ParamSpec.constant("bias", 0, channels),
                ParamSpec.buffer("running_mean", 0, channels), ParamSpec.buffer("running_var", 1, channels));
    }

    @Override
    public long[] outputShape(long[] in) {
        return in;
    }

    @Override
    public long flops(long[] in) {
        return 4 * Shapes.numel(in);
    }

    @Override
    public String forward(ForwardScope s, String x, long[] in) {
        GraphBuilder g = s.g();
        if (!s.training()) {
            return g.op("BatchNormalization", List.of(x, s.param("weight"), s.param("bias"),
                    s.param("running_mean"), s.param("running_var")), Attr.f("epsilon", (float) eps));
        }
        String mean = g.reduceMean(x, true, 0, 2, 3);
        String centred = g.sub(x, mean);
        String var = g.reduceMean(g.mul(centred, centred), true, 0, 2, 3);
        String invStd = g.op("Reciprocal", g.op("Sqrt", g.add(var, g.scalar(eps))));
        String xHat = g.mul(centred, invStd);
        s.stash(xHat);
        s.stash(invStd);

        String count = g.mul(g.batchSize(x), g.scalar(in[1] * in[2]));
        String unbiased = g.div(g.mul(g.reshape(var, channels), count), g.sub(count, g.scalar(1)));
        s.updateBuffer("running_mean", blend(g, s.param("running_mean"), g.reshape(mean, channels)));
        s.updateBuffer("running_var", blend(g, s.param("running_var"), unbiased));

        return g.add(g.mul(xHat, channelwise(g, s.param("weight"))), channelwise(g, s.param("bias")));
    }

    /** dx = invStd * gamma * (dy - (sum(dy) + xHat * sum(dy * xHat)) / count). */
    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String xHat = s.stashed(0);
        String invStd = s.stashed(1);
        String dBeta = g.reduceSum(dy, true, 0, 2, 3);
        String dGamma = g.reduceSum(g.mul(dy, xHat), true, 0, 2, 3);
        s.grad("weight", g.reshape(dGamma, channels));
        s.grad("bias", g.reshape(dBeta, channels));
        if (!s.needsInputGrad()) {
            return null;
        }
        String count = g.mul(g.batchSize(dy), g.scalar(in[1] * in[2]));
        String correction = g.div(g.add(dBeta, g.mul(xHat, dGamma)), count);
        String scale = g.mul(invStd, channelwise(g, s.param("weight")));
        return g.mul(scale, g.sub(dy, correction));
    }

    private String channelwise(GraphBuilder g, String v) {
        return g.reshape(v, 1, channels, 1, 1);
    }

    private String blend(GraphBuilder g, String running, String batch) {
        return g.add(g.mul(running, g.scalar(1 - momentum)), g.mul(batch, g.scalar(momentum)));
    }
}
