package io.ftpipe.cli.bench;

import io.ftpipe.broker.plan.Bandwidth;
import io.ftpipe.broker.plan.DeviceCapacity;
import io.ftpipe.broker.plan.Link;
import io.ftpipe.broker.plan.Plan;
import io.ftpipe.broker.plan.Planner;
import io.ftpipe.broker.plan.Program;
import io.ftpipe.broker.plan.UnitCost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Times the planner on a seeded heterogeneous fleet: the planner as callers get it, the order
 * search alone and, where its tables fit, the exact program, with the search's predicted time
 * against the exact optimum. Times are medians: this machine is shared, and a mean would carry
 * whatever else ran during one call.
 */
public final class PlannerBenchmark {

    /** Beyond this many devices the exact program's tables outgrow a benchmark's heap. */
    public static final int EXACT_UP_TO = 10;

    private PlannerBenchmark() {
    }

    public static Map<String, Object> measure(int devices, int units, int runs, long seed) {
        Random random = new Random(seed);
        List<UnitCost> costs = units(random, units);
        List<DeviceCapacity> fleet = devices(random, devices);
        Link link = link(random, fleet);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("devices", devices);
        r.put("units", units);
        r.put("runs", runs);
        r.put("program", Program.forSize(devices, units).name().toLowerCase());
        Timed planned = time(runs, () -> Planner.plan(costs, fleet, link));
        r.put("planner_ms", planned.medianMillis);
        r.put("planner_max_ms", planned.maxMillis);
        r.put("predicted_ms_per_micro_batch", planned.plan.predictedMillisPerMicroBatch());
        r.put("stages", planned.plan.stages().size());
        Timed searched = time(runs, () -> Planner.plan(costs, fleet, link, Program.SEARCH));
        r.put("search_ms", searched.medianMillis);
        r.put("search_predicted_ms_per_micro_batch", searched.plan.predictedMillisPerMicroBatch());
        r.put("speed_blind_predicted_ms_per_micro_batch",
                Planner.speedBlind(costs, fleet, link).predictedMillisPerMicroBatch());
        if (devices <= EXACT_UP_TO) {
            Timed exact = time(runs, () -> Planner.plan(costs, fleet, link, Program.EXACT));
            r.put("exact_ms", exact.medianMillis);
            r.put("exact_predicted_ms_per_micro_batch", exact.plan.predictedMillisPerMicroBatch());
            r.put("search_over_exact", searched.plan.predictedMillisPerMicroBatch()
                    / exact.plan.predictedMillisPerMicroBatch());
            r.put("planner_over_exact", planned.plan.predictedMillisPerMicroBatch()
                    / exact.plan.predictedMillisPerMicroBatch());
        }
        return r;
    }

    /**
     * A model-like chain: mostly light units, some heavy ones, activations that shrink along the
     * model, and a few units with most of the memory (as a classifier head has).
     */
    private static List<UnitCost> units(Random random, int count) {
        List<UnitCost> units = new ArrayList<>();
        for (int u = 0; u < count; u++) {
            double millis = random.nextInt(5) == 0 ? 20 + 80 * random.nextDouble() : 1 + 10 * random.nextDouble();
            long activation = (long) (200_000 * (1 - (double) u / count) * (0.5 + random.nextDouble()));
            long memory = random.nextInt(10) == 0 ? 20_000_000 : 1_000_000 + random.nextInt(2_000_000);
            units.add(new UnitCost(millis, activation, memory));
        }
        return units;
    }

    /** Speeds over a decade; memory from a little above the largest unit to plenty. */
    private static List<DeviceCapacity> devices(Random random, int count) {
        List<DeviceCapacity> devices = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            double slowdown = Math.exp(Math.log(10) * random.nextDouble());
            long memory = 24_000_000L + random.nextInt(200_000_000);
            devices.add(new DeviceCapacity("g" + d, slowdown, memory));
        }
        return devices;
    }

    /** A rate per sender, as the central node measures links: each gateway's own uplink. */
    private static Link link(Random random, List<DeviceCapacity> devices) {
        Map<String, Double> rates = new HashMap<>();
        for (DeviceCapacity d : devices) {
            rates.put(d.id(), 1_000 + 20_000 * random.nextDouble());
        }
        Bandwidth bandwidth = (from, to) -> rates.get(from);
        return new Link(bandwidth, 1);
    }

    private record Timed(Plan plan, double medianMillis, double maxMillis) {
    }

    /** One call to warm the JIT up, then {@code runs} timed ones. */
    private static Timed time(int runs, Supplier<Plan> call) {
        Plan plan = call.get();
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            plan = call.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new Timed(plan, millis[runs / 2], millis[runs - 1]);
    }
}
