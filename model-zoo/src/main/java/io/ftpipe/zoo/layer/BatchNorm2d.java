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
        // Few passes over the activation: these tensors are large and the ops memory-bound.
        String mean = g.reduceMean(x, true, 0, 2, 3);
        String centred = g.sub(x, mean);
        String count = g.mul(g.batchSize(x), g.scalar(in[1] * in[2]));
        String var = g.div(g.op("ReduceSumSquare", centred, Attr.ints("axes", 0, 2, 3), Attr.i("keepdims", 0)), count);
        s.stash(centred);
        s.stash(g.op("Reciprocal", g.op("Sqrt", g.add(var, g.scalar(eps)))));

        String unbiased = g.div(g.mul(var, count), g.sub(count, g.scalar(1)));
        s.updateBuffer("running_mean", blend(g, s.param("running_mean"), g.reshape(mean, channels)));
        s.updateBuffer("running_var", blend(g, s.param("running_var"), unbiased));

        return g.op("BatchNormalization", List.of(centred, s.param("weight"), s.param("bias"), zeros(g), var),
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
        String centred = s.stashed(0);
        String invStd = s.stashed(1);
        String dBeta = g.reduceSum(dy, false, 0, 2, 3);
        String dGamma = g.mul(g.reduceSum(g.mul(dy, centred), false, 0, 2, 3), invStd);
        s.grad("weight", dGamma);
        s.grad("bias", dBeta);
        if (!s.needsInputGrad()) {
            return null;
        }
        String count = g.mul(g.batchSize(dy), g.scalar(in[1] * in[2]));
        String correction = affine(g, centred, g.div(g.mul(dGamma, invStd), count), g.div(dBeta, count));
        return affine(g, g.sub(dy, correction), g.mul(invStd, s.param("weight")), zeros(g));
    }

    /** x * scale[c] + shift[c] in one pass: BatchNormalization with mean 0, variance 1, epsilon 0. */
    private String affine(GraphBuilder g, String x, String scale, String shift) {
        return g.op("BatchNormalization", List.of(x, scale, shift, zeros(g), g.floats(ones())), Attr.f("epsilon", 0));
    }

    private String zeros(GraphBuilder g) {
        return g.floats(new double[channels]);
    }

    private double[] ones() {
        double[] v = new double[channels];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    private String blend(GraphBuilder g, String running, String batch) {
        return g.add(g.mul(running, g.scalar(1 - momentum)), g.mul(batch, g.scalar(momentum)));
    }
}
