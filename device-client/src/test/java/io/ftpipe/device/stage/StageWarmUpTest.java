package io.ftpipe.device.stage;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.broker.central.Assignments;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.StageSessions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StageWarmUpTest {

    private record Run(ComputeClock.Step step, int rows, long nanos) {
    }

    @Test
    void everyStageRunsForwardAndBackwardOnTheSessionsAndReportsEachRun() throws Exception {
        Model model = ModelZoo.create("mlp");
        var settings = new Assignments.JobSettings("warm", OptimizerConfig.sgd(0.05, 0.9, 0), Schedule.ONE_F_ONE_B,
                1, 16, 0, 0);
        var assigns = Assignments.forPartition(model, new int[]{0, 1, model.size()}, 1, 0, settings,
                Assignments.initialUnits(model, 1));
        for (Message.Assign m : assigns) {
            Assignment a = Assignment.decode(m);
            List<Run> runs = new ArrayList<>();
            ComputeClock clock = new ComputeClock() {
                @Override
                public void computed(Step step, int rows, long nanos, long cpuNanos) {
                    fail("a warm-up is not training time");
                }

                @Override
                public void warmedUp(Step step, int rows, long nanos, long cpuNanos) {
                    runs.add(new Run(step, rows, nanos));
                }
            };
            try (StageSessions sessions = StageSessions.open(OrtEnvironment.getEnvironment(), a.graphs(), 1)) {
                StageWarmUp.run(OrtEnvironment.getEnvironment(), sessions, a.graphs(), 16, clock);
                assertEquals(2 * StageWarmUp.RUNS, runs.size(), "stage " + a.stage());
                for (ComputeClock.Step step : List.of(ComputeClock.Step.FORWARD, ComputeClock.Step.BACKWARD)) {
                    assertEquals(StageWarmUp.RUNS, runs.stream().filter(r -> r.step() == step
                            && r.rows() == 16 && r.nanos() > 0).count(), step + " of stage " + a.stage());
                }
                // The sessions stay open for the stage's worker.
                StageWarmUp.run(OrtEnvironment.getEnvironment(), sessions, a.graphs(), 16, clock);
            }
        }
    }
}
