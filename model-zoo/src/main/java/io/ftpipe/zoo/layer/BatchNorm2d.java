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
        // Two reading passes for the statistics and one for the output: no centred copy is made.
        String mean = g.reduceMean(x, false, 0, 2, 3);
        String count = g.mul(g.batchSize(x), g.scalar(in[1] * in[2]));
        // ReduceSumSquare takes twice as long as a Mul and a ReduceSum in ONNX Runtime.
        String meanSquare = g.div(g.reduceSum(g.mul(x, x), false, 0, 2, 3), count);
        // E[x^2] - mean^2 can round to slightly below zero; it loses precision only when |mean| is
        // many standard deviations, rare for a convolution's outputs (the float32-against-float64 tests pass).
        String var = g.op("Relu", g.sub(meanSquare, g.mul(mean, mean)));
        s.stash(x);
        s.stash(mean);
        s.stash(g.op("Reciprocal", g.op("Sqrt", g.add(var, g.scalar(eps)))));

        String unbiased = g.div(g.mul(var, count), g.sub(count, g.scalar(1)));
        s.updateBuffer("running_mean", blend(g, s.param("running_mean"), mean));
        s.updateBuffer("running_var", blend(g, s.param("running_var"), unbiased));

        return g.op("BatchNormalization", List.of(x, s.param("weight"), s.param("bias"), mean, var),
                Attr.f("epsilon", (float) eps));
    }

    /**
     * With xHat = centred * invStd: dgamma = invStd * sum(dy * centred), dbeta = sum(dy), and
     * dx = gamma * invStd * (dy - (xHat * dgamma + dbeta) / count), whose per-channel affine maps
     * run as fused BatchNormalization ops.
     */
    @Override
    public String backward(BackwardScope s, String dy, long[] in) {
        GraphBuilder g = s.g();
        String x = s.stashed(0, Shapes.batched(in));
        String mean = s.stashed(1);
        String invStd = s.stashed(2);
        String dBeta = g.reduceSum(dy, false, 0, 2, 3);
        // sum(dy * (x - mean)) without making x - mean.
        String dyX = g.reduceSum(g.mul(dy, x), false, 0, 2, 3);
        String dGamma = g.mul(g.sub(dyX, g.mul(mean, dBeta)), invStd);
        s.grad("weight", dGamma);
        s.grad("bias", dBeta);
        if (!s.needsInputGrad()) {
            return null;
        }
        String count = g.mul(g.batchSize(dy), g.scalar(in[1] * in[2]));
        String slope = g.div(g.mul(dGamma, invStd), count);
        String correction = affine(g, x, slope, g.sub(g.div(dBeta, count), g.mul(mean, slope)));
        return affine(g, g.sub(dy, correction), g.mul(invStd, s.param("weight")), zeros(g));
    }

    /** x * scale[c] + shift[c] in one pass: BatchNormalization with mean 0, variance 1, epsilon 0. */
    private String affine(GraphBuilder g, String x, String scale, String shift) {
        return g.op("BatchNormalization", List.of(x, scale, shift, zeros(g), g.ones(channels)), Attr.f("epsilon", 0));
    }

    private String zeros(GraphBuilder g) {
        return g.floats(new double[channels]);
    }

    private String blend(GraphBuilder g, String running, String batch) {
        return g.add(g.mul(running, g.scalar(1 - momentum)), g.mul(batch, g.scalar(momentum)));
    }
}
