package io.ftpipe.broker.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validated inputs plus the three costs every planner and {@link Planner#predict} share, so the
 * dynamic program and the evaluation of its result cannot disagree on a single floating-point op.
 * Devices are addressed by their index in the given list.
 */
final class CostModel {

    private final List<UnitCost> units;
    private final List<DeviceCapacity> devices;
    private final Link link;
    /** Prefix sums make every stage's reference time and memory O(1). */
    private final double[] referencePrefix;
    private final long[] memoryPrefix;
    /**
     * Rates looked up once per ordered pair: a search over device orders asks for the same pairs
     * many times, and the bandwidth behind them may be a map lookup by id. Zero is "not yet".
     */
    private final double[][] rates;
    private final double[] feedMillis;

    CostModel(List<UnitCost> units, List<DeviceCapacity> devices, Link link) {
        if (units == null || units.isEmpty()) {
            throw new IllegalArgumentException("need at least one unit to plan");
        }
        if (devices == null || devices.isEmpty()) {
            throw new IllegalArgumentException("need at least one device to plan");
        }
        if (link == null) {
            throw new IllegalArgumentException("link must not be null");
        }
        Set<String> ids = new HashSet<>();
        for (DeviceCapacity device : devices) {
            if (!ids.add(device.id())) {
                throw new IllegalArgumentException("device id " + device.id() + " appears twice");
            }
        }
        this.units = List.copyOf(units);
        this.devices = List.copyOf(devices);
        this.link = link;
        referencePrefix = new double[units.size() + 1];
        memoryPrefix = new long[units.size() + 1];
        for (int u = 0; u < units.size(); u++) {
            referencePrefix[u + 1] = referencePrefix[u] + units.get(u).forwardBackwardMillis();
            memoryPrefix[u + 1] = Math.addExact(memoryPrefix[u], units.get(u).memoryBytes());
        }
        rates = new double[devices.size()][devices.size()];
        feedMillis = this.devices.stream().mapToDouble(d -> link.feedMillis(d.id())).toArray();
    }

    int unitCount() {
        return units.size();
    }

    int deviceCount() {
        return devices.size();
    }

    DeviceCapacity device(int d) {
        return devices.get(d);
    }

    int indexOf(String deviceId) {
        for (int d = 0; d < devices.size(); d++) {
            if (devices.get(d).id().equals(deviceId)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device " + deviceId);
    }

    double referenceMillis(int from, int to) {
        return referencePrefix[to] - referencePrefix[from];
    }

    /** A stage's time per micro-batch on device {@code d}; the first stage's at least its feed's. */
    double computeMillis(int d, int from, int to) {
        double compute = referenceMillis(from, to) * devices.get(d).slowdown();
        return from == 0 ? Math.max(compute, feedMillis[d]) : compute;
    }

    long memoryBytes(int from, int to) {
        return memoryPrefix[to] - memoryPrefix[from];
    }

    boolean fits(int d, int from, int to) {
        return memoryBytes(from, to) <= devices.get(d).memoryBytes();
    }

    /** The boundary after unit {@code boundary - 1}, between devices {@code d} and {@code next}. */
    double sendMillis(int d, int next, int boundary) {
        return link.roundTripMillis(rate(d, next), rate(next, d), units.get(boundary - 1).outputBytes());
    }

    private double rate(int from, int to) {
        if (rates[from][to] == 0) {
            rates[from][to] = link.rate(devices.get(from).id(), devices.get(to).id());
        }
        return rates[from][to];
    }
}
