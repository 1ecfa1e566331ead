package io.ftpipe.device.stage;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.broker.central.Assignments;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.zoo.data.BatchOrder;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.SyntheticDataset;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.LocalPipeline;
import io.ftpipe.zoo.runtime.StageRuntime;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The stage schedules, run in one process through the wire codec, against the local trainer. */
class StageWorkerTest {
    private static final OptimizerConfig SGD = OptimizerConfig.sgd(0.05, 0.9, 1e-4);
    private final Dataset data = SyntheticDataset.generate(512, 11);

    @Test
    void gpipeEqualsTheLocalTrainerStepForStep() throws Exception {
        Model model = ModelZoo.cnn();
        int batch = 64;
        int micro = 4;
        int steps = 3;
        int[] order = BatchOrder.permutation(data.size(), 5, 0);
        var settings = new Assignments.JobSettings("job-sync", SGD, Schedule.GPIPE, micro, batch, 0, 0);
        Map<String, float[]> pipelined;
        try (var p = new InProcessPipeline(model, new int[]{0, 2, 4, model.size()}, settings, 7)) {
            long iteration = 0;
            for (int step = 0; step < steps; step++) {
                for (int m = 0; m < micro; m++) {
                    p.feed(iteration++, data, order, step * batch + m * (batch / micro), batch / micro);
                }
                p.drain();
            }
            assertEquals(steps * micro, p.done());
            pipelined = p.weights();
        }
        Map<String, float[]> local = new HashMap<>();
        try (var lp = new LocalPipeline(OrtEnvironment.getEnvironment(), model, new int[]{0, model.size()}, 7, 1)) {
            Optimizer opt = SGD.create();
            float[] images = new float[batch * 784];
            long[] labels = new long[batch];
            for (int step = 0; step < steps; step++) {
                data.copyBatch(order, step * batch, batch, images, labels);
                lp.forwardBackward(images, labels, batch);
                opt.step(lp.stages().get(0).store());
            }
            for (StageRuntime s : lp.stages()) {
                local.putAll(s.store().snapshot());
            }
        }
        assertEquals(local.keySet(), pipelined.keySet());
        for (String name : local.keySet()) {
            assertTrue(relativeDifference(local.get(name), pipelined.get(name)) <= 1e-4, name);
        }
    }

    @Test
    void oneFOneBLearnsWithEveryMicroBatchDoneOnceAndInOrder() throws Exception {
        Model model = ModelZoo.mlp();
        var settings = new Assignments.JobSettings("job-async", OptimizerConfig.adam(1e-3, 0), Schedule.ONE_F_ONE_B,
                1, 32, 0, 0);
        int[] order = BatchOrder.permutation(data.size(), 1, 0);
        try (var p = new InProcessPipeline(model, new int[]{0, 1, 2, 3}, settings, 3)) {
            int stages = 3;
            int batches = data.size() / 32;
            long fed = 0;
            // As the central node feeds: as many in flight as stage 0 admits.
            while (p.done() < batches) {
                while (fed < batches && fed - p.done() < Schedule.ONE_F_ONE_B.at(0, stages, 1).inFlightLimit()) {
                    p.feed(fed, data, order, (int) fed * 32, 32);
                    fed++;
                }
                p.drain();
            }
            var done = p.progress.stream().filter(m -> m.kind().equals(Message.Progress.DONE))
                    .mapToLong(Message.Progress::iteration).toArray();
            assertArrayEquals(java.util.stream.LongStream.range(0, batches).toArray(), done);
            var losses = p.progress.stream().filter(m -> m.kind().equals(Message.Progress.LOSS))
                    .mapToDouble(Message.Progress::loss).toArray();
            double first = (losses[0] + losses[1] + losses[2]) / 3;
            double last = (losses[batches - 1] + losses[batches - 2] + losses[batches - 3]) / 3;
            assertTrue(last < first / 2, "loss " + first + " -> " + last);
        }
    }

    /**
     * Stage 1's device failed: its unit comes back from a replica four micro-batches old while
     * the others stayed live. The new term replays those four: units 0 and 2 run them forward and
     * backward without applying them again, unit 1 applies them, and then all go on together.
     */
    @Test
    void aReplayAppliesEachUpdateOnlyToTheUnitsThatLackIt() throws Exception {
        Model model = ModelZoo.mlp();
        int[] bounds = {0, 1, 2, 3};
        var settings = new Assignments.JobSettings("job-replay", OptimizerConfig.adam(1e-3, 0), Schedule.ONE_F_ONE_B,
                1, 32, 0, 0);
        int[] order = BatchOrder.permutation(data.size(), 1, 0);
        Map<Integer, UnitState> atFour = null;
        Map<Integer, UnitState> atEight;
        try (var p = new InProcessPipeline(model, bounds, settings, 3)) {
            for (int i = 0; i < 8; i++) {
                p.feed(i, data, order, i * 32, 32);
                p.drain();
                if (i == 3) {
                    atFour = p.units();
                }
            }
            atEight = p.units();
        }
        Map<Integer, UnitState> resumed = new HashMap<>(atEight);
        resumed.put(1, atFour.get(1));
        try (var p = new InProcessPipeline(model, bounds, settings, 2, 4, resumed, Map.of(0, 8L, 1, 4L, 2, 8L))) {
            for (int i = 4; i < 8; i++) {
                p.feed(i, data, order, i * 32, 32);
                p.drain();
            }
            Map<Integer, UnitState> replayed = p.units();
            for (int u : List.of(0, 2)) {
                for (var e : atEight.get(u).values().entrySet()) {
                    assertArrayEquals(e.getValue(), replayed.get(u).values().get(e.getKey()),
                            "unit " + u + " holds these updates already: " + e.getKey());
                }
            }
            String w1 = weightOf(atFour.get(1));
            assertTrue(relativeDifference(atFour.get(1).values().get(w1), replayed.get(1).values().get(w1)) > 0,
                    "unit 1 got the updates it lost");
            assertEquals(List.of(4L, 0L, 4L), p.workers.stream().map(StageWorker::updatesSkipped).toList());
            assertEquals(List.of(List.of(8L), List.of(8L), List.of(8L)),
                    p.workers.stream().map(StageWorker::unitVersions).toList());

            p.feed(8, data, order, 8 * 32, 32);
            p.drain();
            Map<Integer, UnitState> after = p.units();
            for (int u = 0; u < 3; u++) {
                String w = weightOf(after.get(u));
                assertTrue(relativeDifference(replayed.get(u).values().get(w), after.get(u).values().get(w)) > 0,
                        "unit " + u + " applies the next micro-batch");
            }
            assertEquals(List.of(List.of(9L), List.of(9L), List.of(9L)),
                    p.workers.stream().map(StageWorker::unitVersions).toList());
            assertEquals(List.of(4L, 0L, 4L), p.workers.stream().map(StageWorker::updatesSkipped).toList());
        }
    }

    @Test
    void anAssignWithVersionsForOtherUnitsIsMalformed() throws Exception {
        Model model = ModelZoo.mlp();
        var settings = new Assignments.JobSettings("job-bad", SGD, Schedule.ONE_F_ONE_B, 1, 32, 0, 0);
        var a = Assignments.forPartition(model, new int[]{0, 3}, 1, 0, settings, Assignments.initialUnits(model, 1))
                .get(0);
        var bad = new Message.Assign(a.job(), a.term(), a.stage(), a.stages(), a.graphs(), a.optimizer(), a.units(),
                a.kept(), a.schedule(), a.microBatches(), a.maxBatch(), a.start(), a.chainPeriod(), a.globalPeriod(),
                List.of(1L));
        var wire = Assignment.decode(bad);
        try (var sessions = io.ftpipe.zoo.runtime.StageSessions.open(OrtEnvironment.getEnvironment(), wire.graphs(),
                1)) {
            var e = assertThrows(ProtocolException.class, () -> new StageWorker(OrtEnvironment.getEnvironment(), wire,
                    sessions, null, ComputeClock.NONE));
            assertEquals(RejectReason.MALFORMED, e.reason());
            assertTrue(e.getMessage().endsWith("assign has 1 versions for 3 units"), e.getMessage());
        }
    }

    @Test
    void replicasFollowTheirPeriodsAndCarryTheTrainedState() throws Exception {
        Model model = ModelZoo.mlp();
        var settings = new Assignments.JobSettings("job-rep", OptimizerConfig.adam(1e-3, 0), Schedule.ONE_F_ONE_B,
                1, 32, 4, 8);
        int[] order = BatchOrder.permutation(data.size(), 1, 0);
        int batches = 16;
        try (var p = new InProcessPipeline(model, new int[]{0, 1, 3}, settings, 3)) {
            for (int i = 0; i < batches; i++) {
                p.feed(i, data, order, i * 32, 32);
                p.drain();
            }
            for (int s = 0; s < 2; s++) {
                int stage = s;
                var chain = p.replicas.stream().filter(r -> r.chain() && r.replica().stage() == stage).toList();
                var global = p.replicas.stream().filter(r -> !r.chain() && r.replica().stage() == stage).toList();
                assertEquals(List.of(4L, 8L, 12L, 16L), chain.stream().map(r -> r.replica().iteration()).toList());
                // The last stage's chain replica goes to the central node, so it sends no second copy.
                assertEquals(stage == 0 ? List.of(8L, 16L) : List.of(),
                        global.stream().map(r -> r.replica().iteration()).toList());
                // One timed round per due period (global ones coincide with chain ones), covering its sends.
                var rounds = p.replicationRounds.stream().filter(r -> r.stage() == stage).toList();
                assertEquals(4, rounds.size());
                for (var r : rounds) {
                    assertTrue(r.sendNanos() > 0 && r.nanos() >= r.sendNanos(), r.toString());
                }
                var last = UnitStatePayloads.decode(chain.get(chain.size() - 1).replica().units());
                var now = p.workers.get(stage).unitStates();
                assertEquals(now.size(), last.size());
                for (int u = 0; u < now.size(); u++) {
                    for (String name : now.get(u).values().keySet()) {
                        assertArrayEquals(now.get(u).values().get(name), last.get(u).values().get(name), name);
                    }
                }
            }
        }
    }

    @Test
    void badInputIsRejectedAndChangesNothing() throws Exception {
        Model model = ModelZoo.mlp();
        var settings = new Assignments.JobSettings("job-bad", SGD, Schedule.ONE_F_ONE_B, 1, 32, 0, 0);
        int[] order = BatchOrder.permutation(data.size(), 1, 0);
        Map<String, float[]> clean;
        try (var p = new InProcessPipeline(model, new int[]{0, 2, 3}, settings, 3)) {
            p.feed(0, data, order, 0, 32);
            p.drain();
            clean = p.weights();
        }
        try (var p = new InProcessPipeline(model, new int[]{0, 2, 3}, settings, 3)) {
            StageWorker first = p.workers.get(0);
            StageWorker last = p.workers.get(1);
            float[] nan = new float[784];
            nan[5] = Float.NaN;
            assertReason(RejectReason.NON_FINITE, () -> first.onForward(forward("job-bad", 1, 0, new long[]{1, 1, 28, 28}, nan)));
            assertReason(RejectReason.BAD_SHAPE, () -> first.onForward(forward("job-bad", 1, 0, new long[]{1, 1, 27, 29}, new float[783])));
            assertReason(RejectReason.BAD_DTYPE, () -> first.onForward(new Message.Forward("job-bad", 1, 0,
                    Tensor.ofLongs(new long[]{1, 1, 28, 28}, new long[784], 784))));
            assertReason(RejectReason.BAD_SHAPE, () -> first.onForward(forward("job-bad", 1, 0, new long[]{33, 1, 28, 28}, new float[33 * 784])));
            assertReason(RejectReason.UNKNOWN_JOB, () -> first.onForward(forward("other", 1, 0, new long[]{1, 1, 28, 28}, new float[784])));
            assertReason(RejectReason.STALE_TERM, () -> first.onForward(forward("job-bad", 0, 0, new long[]{1, 1, 28, 28}, new float[784])));
            assertReason(RejectReason.BAD_SHAPE, () -> last.onLabels(new Message.Labels("job-bad", 1, 0,
                    Tensor.ofLongs(new long[]{1}, new long[]{10}, 1))));
            assertReason(RejectReason.UNEXPECTED, () -> first.onLabels(new Message.Labels("job-bad", 1, 0,
                    Tensor.ofLongs(new long[]{1}, new long[]{1}, 1))));
            assertReason(RejectReason.UNEXPECTED, () -> first.onBackward(new Message.Backward("job-bad", 1, 0,
                    Tensor.ofFloats(new long[]{1, 256}, FloatBuffer.wrap(new float[256])))));
            p.feed(0, data, order, 0, 32);
            p.drain();
            assertEquals(1, p.done());
            // Copies of what was already delivered, as a redelivery or a late duplicate brings them.
            assertReason(RejectReason.UNEXPECTED, () -> first.onForward(forward("job-bad", 1, 0,
                    new long[]{1, 1, 28, 28}, new float[784])));
            assertReason(RejectReason.UNEXPECTED, () -> last.onLabels(new Message.Labels("job-bad", 1, 0,
                    Tensor.ofLongs(new long[]{1}, new long[]{1}, 1))));
            assertReason(RejectReason.UNEXPECTED, () -> first.onBackward(new Message.Backward("job-bad", 1, 0,
                    Tensor.ofFloats(new long[]{1, 256}, FloatBuffer.wrap(new float[256])))));
            Map<String, float[]> after = p.weights();
            for (String name : clean.keySet()) {
                assertArrayEquals(clean.get(name), after.get(name), 0f, name);
            }
        }
    }

    @Test
    void aStageWhoseTermEndedTakesNothingMoreAndItsUnitsStayAsTheyWere() throws Exception {
        Model model = ModelZoo.mlp();
        var settings = new Assignments.JobSettings("job-end", SGD, Schedule.ONE_F_ONE_B, 1, 32, 0, 0);
        int[] order = BatchOrder.permutation(data.size(), 1, 0);
        try (var p = new InProcessPipeline(model, new int[]{0, 2, model.size()}, settings, 3)) {
            p.feed(0, data, order, 0, 32);
            p.drain();
            StageWorker first = p.workers.get(0);
            first.endTerm();
            Map<String, float[]> ended = p.weights();
            assertReason(RejectReason.STALE_TERM, () -> p.feed(1, data, order, 32, 32));
            assertEquals(List.of(0, 1), first.unitSummaries().stream().map(UnitState::unit).toList());
            assertTrue(first.unitSummaries().stream().allMatch(u -> u.values().isEmpty() && u.optimizer().isEmpty()),
                    "a summary carries no tensors");
            Map<String, float[]> after = p.weights();
            for (String name : ended.keySet()) {
                assertArrayEquals(ended.get(name), after.get(name), 0f, name);
            }
        }
    }

    private static Message.Forward forward(String job, long term, long iteration, long[] shape, float[] v) {
        return new Message.Forward(job, term, iteration, Tensor.ofFloats(shape, FloatBuffer.wrap(v)));
    }

    interface Call {
        void run() throws Exception;
    }

    private static void assertReason(RejectReason reason, Call call) {
        var e = assertThrows(ProtocolException.class, call::run);
        assertEquals(reason, e.reason(), e.getMessage());
    }

    /** The name of a unit's first parameter with more than one value (its weight matrix). */
    private static String weightOf(UnitState u) {
        return u.values().entrySet().stream().filter(e -> e.getValue().length > 1).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    private static double relativeDifference(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }
}
