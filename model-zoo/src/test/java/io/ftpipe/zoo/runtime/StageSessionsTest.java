package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphs;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageSessionsTest {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Model mlp = ModelZoo.mlp();

    @Test
    void servesOnlyTheSameGraphsWithTheSameThreads() throws Exception {
        try (StageSessions s = StageSessions.open(env, StageCompiler.compile(mlp, 0, 2), 1)) {
            assertTrue(s.serves(StageCompiler.compile(mlp, 0, 2), 1), "a recompiled, identical stage");
            assertFalse(s.serves(StageCompiler.compile(mlp, 0, 1), 1), "other units");
            assertFalse(s.serves(StageCompiler.compile(mlp, 0, 2), 2), "other thread count");
        }
    }

    @Test
    void outliveTheRuntimesThatShareThemAndGiveTheSameResults() throws Exception {
        StageGraphs g = StageCompiler.compile(mlp, 0, 2);
        long[] shape = new long[g.inputShape().length + 1];
        shape[0] = 2;
        System.arraycopy(g.inputShape(), 0, shape, 1, g.inputShape().length);
        float[] x = new float[2 * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 17f;
        }
        try (StageSessions shared = StageSessions.open(env, g, 1);
             ParamStore store = ParamStore.initialize(env, g.params().values(), 3);
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
            float[] first;
            try (StageRuntime a = new StageRuntime(shared, g, store); Pass p = a.forward(in, null)) {
                first = copy(p.tensor(StageGraphs.OUTPUT));
            }
            // The first runtime is closed; its sessions are not.
            try (StageRuntime b = new StageRuntime(shared, g, store); Pass p = b.forward(in, null);
                 StageRuntime own = new StageRuntime(env, g, store, 1); Pass q = own.forward(in, null)) {
                assertArrayEquals(first, copy(p.tensor(StageGraphs.OUTPUT)));
                assertArrayEquals(first, copy(q.tensor(StageGraphs.OUTPUT)));
            }
        }
    }

    private static float[] copy(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }
}
