package io.ftpipe.zoo.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ftpipe.zoo.stage.StageGraphs;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ONNX Runtime sessions of one stage's graphs. They hold no weights (those are inputs), so one
 * set can serve the same stage again in a later term: a device given back its stage keeps them
 * and skips both the session builds and ONNX Runtime's slow first runs.
 */
public final class StageSessions implements AutoCloseable {
    /** Sets open in this process: what a leak test counts. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final StageGraphs graphs;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int threads;
    final OrtSession forward;
    final OrtSession backward;
    final OrtSession eval;

    private StageSessions(StageGraphs graphs, int threads, OrtSession forward, OrtSession backward, OrtSession eval) {
        this.graphs = graphs;
        this.threads = threads;
        this.forward = forward;
        this.backward = backward;
        this.eval = eval;
        OPEN.incrementAndGet();
    }

    /** How many sets of sessions are open in this process now. */
    public static int openCount() {
        return OPEN.get();
    }

    /** Options of every session a stage runs; the caller closes them. */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        // Stages take turns (and share the cores with the optimizer and the network): threads
        // spinning while waiting for work would steal the cores the next stage needs.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    public static StageSessions open(OrtEnvironment env, StageGraphs graphs, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = options(threads)) {
            OrtSession forward = env.createSession(graphs.forward().onnx(), options);
            OrtSession backward = null;
            try {
                backward = env.createSession(graphs.backward().onnx(), options);
                return new StageSessions(graphs, threads, forward, backward,
                        env.createSession(graphs.eval().onnx(), options));
            } catch (OrtException | RuntimeException e) {
                forward.close();
                if (backward != null) {
                    backward.close();
                }
                throw e;
            }
        }
    }

    /** Whether these sessions run exactly {@code other}'s graphs with as many threads. */
    public boolean serves(StageGraphs other, int otherThreads) {
        return threads == otherThreads && same(graphs.forward(), other.forward())
                && same(graphs.backward(), other.backward()) && same(graphs.eval(), other.eval());
    }

    private static boolean same(StageGraphs.Graph a, StageGraphs.Graph b) {
        return Arrays.equals(a.onnx(), b.onnx());
    }

    /** Idempotent: a native session closed twice frees its memory twice. */
    @Override
    public void close() throws OrtException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        OPEN.decrementAndGet();
        forward.close();
        backward.close();
        eval.close();
    }
}
