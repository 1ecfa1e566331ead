package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.OptimizerSettings;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.protocol.WireDtype;
import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphs;
import io.ftpipe.zoo.stage.StageGraphsCodec;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Builds the {@code assign} messages that start a job's term, one per stage of a partition: the
 * central node's work of compiling each stage's graphs and giving every unit its state, encoded
 * for the wire.
 */
public final class Assignments {
    private Assignments() {
    }

    /** Settings shared by all stages of a job. */
    public record JobSettings(String job, OptimizerConfig optimizer, Schedule schedule, int microBatches,
                              int maxBatch, int chainPeriod, int globalPeriod, WireDtype wire) {
        /** Activations and gradients as float32. */
        public JobSettings(String job, OptimizerConfig optimizer, Schedule schedule, int microBatches, int maxBatch,
                           int chainPeriod, int globalPeriod) {
            this(job, optimizer, schedule, microBatches, maxBatch, chainPeriod, globalPeriod, WireDtype.FLOAT32);
        }
    }

    /** Every stage gets its units' states from {@code units} (e.g. {@link #initialUnits}). */
    public static List<Message.Assign> forPartition(Model model, int[] bounds, long term, long start, JobSettings s,
                                                    Map<Integer, UnitState> units) {
        return forPartition(model, bounds, term, start, s, units, Set.of(), Map.of(),
                (from, to) -> StageCompiler.compile(model, from, to));
    }

    /** Every unit at {@code start}: a job's start or a re-plan of a drained pipeline. */
    public static List<Message.Assign> forPartition(Model model, int[] bounds, long term, long start, JobSettings s,
                                                    Map<Integer, UnitState> units, Set<Integer> kept,
                                                    BiFunction<Integer, Integer, StageGraphs> graphs) {
        return forPartition(model, bounds, term, start, s, units, kept, Map.of(), graphs);
    }

    /**
     * @param bounds stage boundaries (stage s holds units [bounds[s], bounds[s+1]))
     * @param units  the state of every unit not kept
     * @param kept   units the devices of their new stages already hold
     * @param graphs   the compiled graphs of units [from, to)
     * @param start    the term's first iteration
     * @param versions per unit, the micro-batch below which its state holds every update (absent: {@code start})
     * @throws IllegalArgumentException if a unit is neither kept nor given a state
     */
    public static List<Message.Assign> forPartition(Model model, int[] bounds, long term, long start, JobSettings s,
                                                    Map<Integer, UnitState> units, Set<Integer> kept,
                                                    Map<Integer, Long> versions,
                                                    BiFunction<Integer, Integer, StageGraphs> graphs) {
        List<Message.Assign> out = new ArrayList<>();
        int stages = bounds.length - 1;
        for (int stage = 0; stage < stages; stage++) {
            List<UnitState> mine = new ArrayList<>();
            List<Integer> keep = new ArrayList<>();
            List<Long> held = new ArrayList<>();
            for (int u = bounds[stage]; u < bounds[stage + 1]; u++) {
                held.add(versions.getOrDefault(u, start));
                if (kept.contains(u)) {
                    keep.add(u);
                } else if (units.containsKey(u)) {
                    mine.add(units.get(u));
                } else {
                    throw new IllegalArgumentException("unit " + u + " has no state and is not kept");
                }
            }
            byte[] compiled = StageGraphsCodec.encode(graphs.apply(bounds[stage], bounds[stage + 1]));
            out.add(new Message.Assign(s.job(), term, stage, stages, compiled, settings(s.optimizer()),
                    UnitStatePayloads.encode(mine), keep, s.schedule().wireName(), s.microBatches(), s.maxBatch(),
                    start, s.chainPeriod(), s.globalPeriod(),
                    held.stream().allMatch(v -> v == start) ? List.of() : List.copyOf(held), s.wire().label()));
        }
        return out;
    }

    private static OptimizerSettings settings(OptimizerConfig o) {
        return new OptimizerSettings(o.kind(), o.lr(), o.momentum(), o.weightDecay(), o.beta1(), o.beta2(), o.eps());
    }

    /** Every unit's initial weights from the seed, with no optimizer state yet. */
    public static Map<Integer, UnitState> initialUnits(Model model, long seed) {
        Map<Integer, UnitState> out = new LinkedHashMap<>();
        for (int u = 0; u < model.size(); u++) {
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ParamSpec p : model.params(u, u + 1).values()) {
                values.put(p.name(), ParamStore.initialValues(p, seed));
            }
            out.put(u, new UnitState(u, values, Map.of()));
        }
        return out;
    }
}
