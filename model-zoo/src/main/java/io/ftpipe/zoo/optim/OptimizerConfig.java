package io.ftpipe.zoo.optim;

/** Optimizer settings, as a device receives them. */
public record OptimizerConfig(String kind, double lr, double momentum, double weightDecay, double beta1,
                              double beta2, double eps) {

    public static OptimizerConfig sgd(double lr, double momentum, double weightDecay) {
        return new OptimizerConfig("sgd", lr, momentum, weightDecay, 0, 0, 0);
    }

    public static OptimizerConfig adam(double lr, double weightDecay) {
        return new OptimizerConfig("adam", lr, 0, weightDecay, 0.9, 0.999, 1e-8);
    }

    public OptimizerConfig {
        if (!(lr > 0) || momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("bad optimizer settings: lr must be > 0, momentum and weight decay >= 0");
        }
    }

    public Optimizer create() {
        return switch (kind) {
            case "sgd" -> new Sgd(this);
            case "adam" -> new Adam(this);
            default -> throw new IllegalArgumentException("unknown optimizer '" + kind + "'; known: sgd, adam");
        };
    }
}
