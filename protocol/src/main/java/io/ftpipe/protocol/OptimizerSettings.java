package io.ftpipe.protocol;

/**
 * The optimizer settings an {@code assign} carries, as plain values: the device builds its
 * optimizer from them (and rejects settings it cannot use).
 *
 * @param kind {@code sgd} or {@code adam}
 */
public record OptimizerSettings(String kind, double lr, double momentum, double weightDecay, double beta1,
                                double beta2, double eps) {
}
