package io.ftpipe.device.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.runtime.Pass;
import io.ftpipe.zoo.runtime.StageRuntime;
import io.ftpipe.zoo.runtime.StageSessions;
import io.ftpipe.zoo.stage.StageGraphs;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Runs newly opened sessions a few times, back to back, on zeros and on a scratch copy of the
 * parameters, before the stage takes micro-batches: ONNX Runtime's first runs (allocations, kernel
 * choice) are then paid before the term starts, and the device knows its own speed for a step from
 * runs that nothing else held up.
 *
 * <p>Why that speed matters: a stage that waits for a slower neighbour runs each step cold (its
 * threads parked, its caches taken), often twice as slow as when busy. A device that only ever
 * ran cold would emulate a slowdown against a speed that is not its own, and the planner would
 * see the devices closer together than they are.
 */
public final class StageWarmUp {
    /** The first run pays the allocations; the others give the speed. */
    static final int RUNS = 3;

    private StageWarmUp() {
    }

    /** Runs forward and backward {@link #RUNS} times on {@code rows} samples and tells {@code clock}. */
    public static void run(OrtEnvironment env, StageSessions sessions, StageGraphs graphs, int rows, ComputeClock clock)
            throws OrtException {
        try (ParamStore scratch = ParamStore.initialize(env, graphs.params().values(), 0);
             StageRuntime runtime = new StageRuntime(sessions, graphs, scratch);
             OnnxTensor x = zeros(env, rows, graphs.inputShape());
             OnnxTensor labels = graphs.last() ? OnnxTensor.createTensor(env, LongBuffer.wrap(new long[rows]),
                     new long[]{rows}) : null;
             OnnxTensor dy = graphs.last() ? null : zeros(env, rows, graphs.outputShape())) {
            for (int r = 0; r < RUNS; r++) {
                Stopwatch watch = new Stopwatch();
                try (Pass forward = runtime.forward(x, labels)) {
                    watch.warmedUp(clock, ComputeClock.Step.FORWARD, rows);
                    Stopwatch backwardWatch = new Stopwatch();
                    try (Pass ignored = runtime.backward(forward, dy == null ? forward.tensor(StageGraphs.LOGITS_GRAD) : dy)) {
                        backwardWatch.warmedUp(clock, ComputeClock.Step.BACKWARD, rows);
                    }
                }
            }
        }
    }

    private static OnnxTensor zeros(OrtEnvironment env, int rows, long[] sampleShape) throws OrtException {
        long[] shape = LongStream.concat(LongStream.of(rows), Arrays.stream(sampleShape)).toArray();
        long elements = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[Math.toIntExact(elements)]), shape);
    }
}
