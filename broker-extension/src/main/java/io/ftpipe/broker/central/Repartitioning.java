package io.ftpipe.broker.central;

import io.ftpipe.broker.plan.DeviceCapacity;
import io.ftpipe.broker.plan.Link;
import io.ftpipe.broker.plan.Newcomers;
import io.ftpipe.broker.plan.Plan;
import io.ftpipe.broker.plan.Planner;
import io.ftpipe.broker.plan.Replan;
import io.ftpipe.broker.plan.StageAssignment;
import io.ftpipe.broker.plan.UnitCost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The job's planner glue: what the devices measured (capacities, link rates) turned into the
 * planner's input, and the planner's answer turned into a decision. Reads the job's state under
 * its lock and changes nothing.
 */
final class Repartitioning {
    /**
     * A new plan must be predicted this much faster (relative) than the current one: above the
     * noise of measured capacities (on a shared 2-core machine, equal devices measure up to 20 %
     * apart), so that the layout does not flap between near-equal plans.
     */
    static final double REPLAN_THRESHOLD = 0.25;
    /** Fresh measurements of every planned device a re-plan waits for, so it never acts on one glitch. */
    static final long FRESH_SAMPLES = 2;
    /** Rate assumed between two devices neither of which has had a boundary timed yet (10 MB/s). */
    static final double DEFAULT_BYTES_PER_MILLI = 10_000;
    /** Fixed cost of one message through the broker. */
    static final double LINK_LATENCY_MILLIS = 1;

    private final JobState state;
    private final ToLongFunction<String> memory;
    /** Written by the job's thread, read by heartbeats' threads. */
    private volatile List<UnitCost> costs = List.of();
    private volatile long feedBytes;

    /** @param memory a device's memory in bytes, as it announced it */
    Repartitioning(JobState state, ToLongFunction<String> memory) {
        this.state = state;
        this.memory = memory;
    }

    /**
     * The reference profile the planner costs units with, and the bytes fed into the first stage per
     * micro-batch; from now on heartbeats measure speeds.
     */
    void costWith(List<UnitCost> unitCosts, long feedBytes) {
        this.feedBytes = feedBytes;
        costs = List.copyOf(unitCosts);
        state.measureWith((from, to) -> referenceMillis(from, to));
    }

    boolean profiled() {
        return !costs.isEmpty();
    }

    /** A new job: the devices split speed-blind (nothing is measured yet), at most one unit each. */
    Plan initial(List<String> devices) {
        return Planner.speedBlind(costs, devices.stream().limit(costs.size()).map(this::typical).toList(), link());
    }

    /**
     * The layout for a recovery: the pool as measured (unmeasured devices at reference speed),
     * moving as little of what {@code survivors} hold as the fastest plan allows.
     */
    Plan forRecovery(List<String> pool, List<String> survivors) {
        boolean adaptive = state.spec.adaptive();
        List<DeviceCapacity> caps = pool.stream().limit(costs.size())
                .map(d -> adaptive ? measured(d).orElse(typical(d)) : typical(d)).toList();
        return adaptive ? Planner.plan(costs, caps, link(), assignment(state.layout).stream()
                .filter(s -> survivors.contains(s.device())).toList()) : Planner.speedBlind(costs, caps, link());
    }

    /**
     * A better layout if the measured capacities call for one: it must beat the current layout
     * (costed with the same measurements) by {@link #REPLAN_THRESHOLD} and win back the last
     * migration's cost within the {@code remaining} micro-batches. Empty while a device of the
     * layout lacks fresh measurements or is not alive (a failure is recovery's business).
     *
     * @param usable devices alive that have not failed in this job: newcomers among them may join
     */
    Optional<Decision> better(List<String> alive, List<String> usable, long remaining) {
        synchronized (state) {
            for (JobReport.Stage s : state.layout.stages()) {
                if (state.capacities.samples(s.device()) < FRESH_SAMPLES || !alive.contains(s.device())) {
                    return Optional.empty();
                }
            }
            List<DeviceCapacity> measured = new ArrayList<>();
            state.devices.stream().filter(alive::contains).map(this::measured).flatMap(Optional::stream)
                    .forEach(measured::add);
            Link link = link();
            Plan current = Planner.predict(costs, measured, link, assignment(state.layout));
            // A job that lost devices takes in ones that joined since (never measured: a typical speed).
            List<String> newcomers = usable.stream().filter(d -> !state.devices.contains(d)).toList();
            List<DeviceCapacity> candidates = Newcomers.withPrior(measured, newcomers,
                    state.spec.devices() - (int) state.devices.stream().filter(alive::contains).count(),
                    this::memoryOf);
            return Replan.better(costs, candidates, link, current, state.migrationMillis, remaining,
                            state.layouts.threshold(REPLAN_THRESHOLD))
                    .filter(p -> !state.layouts.didNoBetter(p.assignment(), REPLAN_THRESHOLD))
                    .map(p -> new Decision(p, current, state.capacities.snapshot()));
        }
    }

    /**
     * What a re-plan moves: the units that stay with their device are {@code kept} (they stand still
     * once the pipeline is drained); the devices {@code giving} hold the units that move.
     */
    record Moves(Set<Integer> kept, List<String> giving) {
        static Moves between(List<StageAssignment> before, List<StageAssignment> after) {
            Map<Integer, String> was = Recovery.owners(before);
            Map<Integer, String> will = Recovery.owners(after);
            Set<Integer> kept = new TreeSet<>(was.keySet());
            kept.removeIf(u -> !was.get(u).equals(will.get(u)));
            List<String> giving = was.entrySet().stream().filter(e -> !kept.contains(e.getKey()))
                    .map(Map.Entry::getValue).distinct().toList();
            return new Moves(kept, giving);
        }
    }

    /** A re-plan to make: the plan, the current layout costed with the same measurements, and those. */
    record Decision(Plan plan, Plan current, Map<String, JobReport.Capacity> measured) {
    }

    /** The current layout's predicted samples/s with the capacities measured by now; NaN if a device was not. */
    double recosted() {
        List<DeviceCapacity> measured = new ArrayList<>();
        for (JobReport.Stage s : state.layout.stages()) {
            Optional<DeviceCapacity> c = measured(s.device());
            if (c.isEmpty()) {
                return Double.NaN;
            }
            measured.add(c.get());
        }
        return samplesPerSecond(Planner.predict(costs, measured, link(), assignment(state.layout)));
    }

    double samplesPerSecond(Plan p) {
        return state.spec.microBatchSize() * 1000.0 / p.predictedMillisPerMicroBatch();
    }

    /** Reference forward + backward milliseconds of units [from, to) per micro-batch. */
    double referenceMillis(int from, int to) {
        double sum = 0;
        for (int u = from; u < to; u++) {
            sum += costs.get(u).forwardBackwardMillis();
        }
        return sum;
    }

    static List<StageAssignment> assignment(JobReport.Term t) {
        return t.stages().stream().map(s -> new StageAssignment(s.device(), s.from(), s.to())).toList();
    }

    /** A device as the planner sees it, once it has been measured. */
    private Optional<DeviceCapacity> measured(String device) {
        OptionalDouble slowdown;
        synchronized (state) {
            slowdown = state.capacities.slowdown(device);
        }
        return slowdown.isEmpty() ? Optional.empty() : Optional.of(new DeviceCapacity(device,
                Math.max(DeviceCapacity.MIN_SLOWDOWN, slowdown.getAsDouble()), memoryOf(device)));
    }

    /** A device not measured yet: reference speed. */
    private DeviceCapacity typical(String device) {
        return new DeviceCapacity(device, 1, memoryOf(device));
    }

    private long memoryOf(String device) {
        return Math.max(1, memory.applyAsLong(device));
    }

    /**
     * Every device pair's measured or derived rate, or a modest default until a pair has been
     * timed; and the feed into the first stage, over its device's link.
     */
    private Link link() {
        synchronized (state) {
            return new Link(state.capacities.links(DEFAULT_BYTES_PER_MILLI), LINK_LATENCY_MILLIS, feedBytes);
        }
    }
}
