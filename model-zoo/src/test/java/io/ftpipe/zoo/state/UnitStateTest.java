package io.ftpipe.zoo.state;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.LocalPipeline;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A unit's weights and optimizer state survive serialization and move between stage splits. */
class UnitStateTest {

    @Test
    void unitMovesToAnotherSplitAndTrainingContinuesIdentically() throws Exception {
        Model model = ModelZoo.mobileNetV2();
        var env = OrtEnvironment.getEnvironment();
        var data = SyntheticDataset.generate(16, 2);
        long[] labels = new long[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = data.labels()[i];
        }
        OptimizerConfig cfg = OptimizerConfig.adam(0.01, 0);
        // "before": units [0,5) on stage A; "after": the boundary moved to 3, so units 3 and 4 move.
        try (LocalPipeline before = new LocalPipeline(env, model, new int[]{0, 5, model.size()}, 9, 1);
             LocalPipeline after = new LocalPipeline(env, model, new int[]{0, 3, model.size()}, 9, 1)) {
            Optimizer[] ob = {cfg.create(), cfg.create()};
            Optimizer[] oa = {cfg.create(), cfg.create()};
            for (int i = 0; i < 2; i++) {
                before.forwardBackward(data.features(), labels, 16);
                ob[0].step(before.stages().get(0).store());
                ob[1].step(before.stages().get(1).store());
            }
            for (int unit = 0; unit < model.size(); unit++) {
                int from = unit < 5 ? 0 : 1;
                int to = unit < 3 ? 0 : 1;
                UnitState s = UnitState.capture(unit, before.stages().get(from).store(), ob[from]);
                UnitState moved = UnitStateCodec.decode(UnitStateCodec.encode(s));
                moved.apply(after.stages().get(to).store(), oa[to]);
            }
            double lossBefore = before.forwardBackward(data.features(), labels, 16).loss();
            double lossAfter = after.forwardBackward(data.features(), labels, 16).loss();
            assertEquals(lossBefore, lossAfter, 1e-6);
            ob[0].step(before.stages().get(0).store());
            ob[1].step(before.stages().get(1).store());
            oa[0].step(after.stages().get(0).store());
            oa[1].step(after.stages().get(1).store());
            // Unit 4 moved from stage 0 to stage 1 with its Adam moments: same weights after the step.
            String p = "u4.l0.weight";
            assertArrayEquals(before.stages().get(0).store().get(p).read(),
                    after.stages().get(1).store().get(p).read(), 1e-6f);
        }
    }

    @Test
    void malformedBytesAreRejectedClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> UnitStateCodec.decode(new byte[]{1, 2, 3}));
        assertEquals(true, e.getMessage().startsWith("malformed unit state"));
    }
}
