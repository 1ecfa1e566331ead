package io.ftpipe.broker.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Devices a re-plan may take in that it has never measured: ones that joined (or came back) after
 * the job lost some of its own. The planner needs a speed for them; they get the median of the
 * measured devices', a typical device. A newcomer slower than that is measured once it trains,
 * and the next re-plan gives it less. Pure.
 */
public final class Newcomers {
    private Newcomers() {
    }

    /**
     * @param measured   the job's devices as measured
     * @param newcomers  alive devices outside the job, in order of preference
     * @param room       how many more devices the job may have (what it asked for, less what it has)
     * @return {@code measured} followed by up to {@code room} newcomers at the median speed
     */
    public static List<DeviceCapacity> withPrior(List<DeviceCapacity> measured, List<String> newcomers, int room,
                                                 ToLongFunction<String> memoryBytes) {
        List<DeviceCapacity> out = new ArrayList<>(measured);
        if (room <= 0 || newcomers.isEmpty()) {
            return out;
        }
        double prior = median(measured.stream().mapToDouble(DeviceCapacity::slowdown).toArray());
        newcomers.stream().limit(room).map(d -> new DeviceCapacity(d, prior, memoryBytes.applyAsLong(d)))
                .forEach(out::add);
        return out;
    }

    /** The median, or 1 (reference speed) when nothing is measured. */
    static double median(double[] values) {
        if (values.length == 0) {
            return 1;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
