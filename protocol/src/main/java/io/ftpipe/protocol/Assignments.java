package io.ftpipe.protocol;

import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.state.UnitState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code assign} messages that start a job's term: one per stage of a partition. */
public final class Assignments {
    private Assignments() {
    }

    /** Settings shared by all stages of a job. */
    public record JobSettings(String job, OptimizerConfig optimizer, String schedule, int microBatches,
                              int maxBatch, int chainPeriod, int globalPeriod) {
    }

    /**
     * @param bounds stage boundaries (stage s holds units [bounds[s], bounds[s+1]))
     * @param units  the state of every unit (e.g. {@link #initialUnits}); each stage gets its own
     * @param start  the term's first iteration
     */
    public static List<Message.Assign> forPartition(Model model, int[] bounds, long term, long start, JobSettings s,
                                                    Map<Integer, UnitState> units) {
        List<Message.Assign> out = new ArrayList<>();
        int stages = bounds.length - 1;
        for (int stage = 0; stage < stages; stage++) {
            List<UnitState> mine = new ArrayList<>();
            for (int u = bounds[stage]; u < bounds[stage + 1]; u++) {
                mine.add(units.get(u));
            }
            out.add(new Message.Assign(s.job(), term, stage, stages, StageCompiler.compile(model, bounds[stage],
                    bounds[stage + 1]), s.optimizer(), mine, s.schedule(), s.microBatches(), s.maxBatch(), start,
                    s.chainPeriod(), s.globalPeriod()));
        }
        return out;
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
