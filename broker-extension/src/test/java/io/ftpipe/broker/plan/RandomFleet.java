package io.ftpipe.broker.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random planning cases with what the cost model lets differ: per-unit compute, activation
 * and memory, per-device speed and memory, per-pair (and per-direction) link rates.
 */
final class RandomFleet {

    final List<UnitCost> units;
    final List<DeviceCapacity> devices;
    final Link link;

    private RandomFleet(List<UnitCost> units, List<DeviceCapacity> devices, Link link) {
        this.units = units;
        this.devices = devices;
        this.link = link;
    }

    /**
     * Speeds spread over a decade or two, activations from negligible to link-bound, memory from
     * unbounded to tight (a quarter of the cases leave some devices too small for the heaviest
     * part of the model), and either a rate per sender (as the central node measures links) or an
     * arbitrary one per ordered pair.
     */
    static RandomFleet of(Random random, int deviceCount, int unitCount) {
        return of(random, deviceCount, unitCount, true);
    }

    /** As {@link #of(Random, int, int)}, with every device's memory unbounded unless {@code mayBoundMemory}. */
    static RandomFleet of(Random random, int deviceCount, int unitCount, boolean mayBoundMemory) {
        double activationScale = new double[] {0, 1_000, 50_000, 500_000}[random.nextInt(4)];
        List<UnitCost> units = new ArrayList<>();
        long totalMemory = 0;
        for (int u = 0; u < unitCount; u++) {
            double millis = random.nextInt(5) == 0 ? 20 + 80 * random.nextDouble() : 1 + 10 * random.nextDouble();
            long memory = 1 + random.nextInt(random.nextInt(6) == 0 ? 1_000 : 100);
            totalMemory += memory;
            units.add(new UnitCost(millis, (long) (activationScale * random.nextDouble()), memory));
        }
        double speedSpread = random.nextBoolean() ? 10 : 100;
        boolean memoryBound = random.nextInt(4) == 0 && mayBoundMemory;
        List<DeviceCapacity> devices = new ArrayList<>();
        for (int d = 0; d < deviceCount; d++) {
            double slowdown = Math.exp(Math.log(speedSpread) * random.nextDouble());
            long memory = memoryBound ? Math.max(1, (long) (totalMemory * (0.5 + 2 * random.nextDouble()) / deviceCount))
                    : Long.MAX_VALUE / 16;
            devices.add(new DeviceCapacity("d" + d, slowdown, memory));
        }
        double[][] rate = new double[deviceCount][deviceCount];
        boolean perSender = random.nextBoolean();
        for (int from = 0; from < deviceCount; from++) {
            double sender = 1_000 + 200_000 * random.nextDouble();
            for (int to = 0; to < deviceCount; to++) {
                rate[from][to] = perSender ? sender : 1_000 + 200_000 * random.nextDouble();
            }
        }
        Bandwidth bandwidth = (from, to) -> rate[index(from)][index(to)];
        return new RandomFleet(units, devices, new Link(bandwidth, 2 * random.nextDouble()));
    }

    private static int index(String id) {
        return Integer.parseInt(id.substring(1));
    }
}
