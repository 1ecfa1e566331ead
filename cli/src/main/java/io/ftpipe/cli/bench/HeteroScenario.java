package io.ftpipe.cli.bench;

import java.util.List;

/**
 * A heterogeneity scenario of {@code bench hetero}: each device's emulated slowdown, and for
 * {@code drift} which device slows down half-way and by how much.
 *
 * @param driftDevice index of the device that slows down half-way, or -1
 */
public record HeteroScenario(String name, List<Double> slowdowns, int driftDevice, double driftFactor) {
    public static final List<String> NAMES = List.of("h10", "spread", "drift");

    public static HeteroScenario named(String name) {
        return switch (name) {
            case "h10" -> new HeteroScenario(name, List.of(1.0, 1.0, 1.0, 10.0), -1, 1);
            case "spread" -> new HeteroScenario(name, List.of(1.0, 2.0, 5.0, 10.0), -1, 1);
            case "drift" -> new HeteroScenario(name, List.of(1.0, 1.0, 1.0, 1.0), 1, 5);
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + NAMES);
        };
    }

    public boolean drifts() {
        return driftDevice >= 0;
    }

    /** The fastest device's slowdown: what {@code best_single} runs at. */
    public double fastest() {
        return slowdowns.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }
}
