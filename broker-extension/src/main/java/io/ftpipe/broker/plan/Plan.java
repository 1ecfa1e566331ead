package io.ftpipe.broker.plan;

import java.util.List;

/**
 * Stages in pipeline order and the time per micro-batch they predict. In a steady pipeline every
 * stage and every boundary works in parallel, so the slowest of them sets the pace.
 */
public record Plan(List<Stage> stages, double predictedMillisPerMicroBatch) {

    public Plan {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one stage");
        }
        if (predictedMillisPerMicroBatch != bottleneck(stages)) {
            throw new IllegalArgumentException("predictedMillisPerMicroBatch " + predictedMillisPerMicroBatch
                    + " is not the bottleneck of the stages, " + bottleneck(stages) + "; use Plan.of");
        }
    }

    /** The stages without their costs: which device takes which units. */
    public List<StageAssignment> assignment() {
        return stages.stream().map(s -> new StageAssignment(s.device(), s.from(), s.to())).toList();
    }

    public static Plan of(List<Stage> stages) {
        return new Plan(stages, bottleneck(stages));
    }

    private static double bottleneck(List<Stage> stages) {
        return stages.stream().mapToDouble(Stage::bottleneckMillis).max().orElse(0);
    }
}
