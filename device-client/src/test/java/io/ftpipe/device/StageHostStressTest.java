package io.ftpipe.device;

import ai.onnxruntime.OrtEnvironment;
import io.ftpipe.broker.central.Assignments;
import io.ftpipe.device.stage.Assignment;
import io.ftpipe.device.stage.Outbox;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.protocol.Tensor;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.runtime.StageSessions;
import io.ftpipe.zoo.stage.StageCompiler;
import io.ftpipe.zoo.stage.StageGraphs;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands of every kind from several threads at once, against real ONNX Runtime sessions: assign,
 * re-assign (the same stage and others, so sessions are both kept and rebuilt and warmed up),
 * collect, stop, forwards, labels and backwards, and a shutdown in the middle of it all. A
 * session closed while in use, or twice, kills the JVM; every session opened must be closed.
 */
class StageHostStressTest {
    private static final int THREADS = 4;
    private static final int COMMANDS_PER_THREAD = 600;
    private static final int BATCH = 4;
    private static final String JOB = "stress";
    private final Model model = ModelZoo.mlp();
    private final Map<List<Integer>, StageGraphs> graphs = new ConcurrentHashMap<>();
    private final AtomicLong terms = new AtomicLong();
    private final AtomicReference<Assignment> current = new AtomicReference<>();
    /** The next micro-batch to feed in the current term. */
    private final AtomicLong fed = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

    @Test
    void commandsFromManyThreadsNeverCloseASessionInUseAndLeakNone() throws Exception {
        int before = StageSessions.openCount();
        StageHost host = new StageHost(OrtEnvironment.getEnvironment(), 1, new StageClock(1, false));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(t);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int c = 0; c < COMMANDS_PER_THREAD; c++) {
                        command(host, random);
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "commands-" + t);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(unexpected.isEmpty(), "only refusals expected: " + unexpected);
        assertTrue(computed.get() > 100, "forwards and backwards really ran: " + computed.get());

        // A shutdown while commands keep coming: every later one is refused, nothing crashes.
        Thread late = new Thread(() -> {
            Random random = new Random(99);
            for (int c = 0; c < 200; c++) {
                try {
                    command(host, random);
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }
        });
        late.start();
        host.close();
        late.join();
        host.close();
        assertTrue(unexpected.isEmpty(), "only refusals expected: " + unexpected);
        assertEquals(before, StageSessions.openCount(), "sessions left open");
    }

    private void command(StageHost host, Random random) throws Exception {
        Assignment a = current.get();
        int kind = a == null ? 0 : random.nextInt(80);
        try {
            if (kind < 2) {
                assign(host, random);
            } else if (kind < 4) {
                host.collect(new Message.Collect(JOB, a.term(), random.nextInt(1000), random.nextBoolean()));
            } else if (kind < 5) {
                host.stop(new Message.Stop(JOB, a.term(), "stress"));
            } else if (kind < 40) {
                long i = a.message().start() + fed.getAndIncrement();
                if (a.graphs().last()) {
                    host.labels(new Message.Labels(JOB, a.term(), i,
                            Tensor.ofLongs(new long[]{BATCH}, new long[]{1, 2, 3, 4}, BATCH)));
                }
                host.forward(new Message.Forward(JOB, a.term(), i, tensor(a.graphs().inputShape(), random)));
            } else {
                long i = a.message().start() + random.nextInt((int) Math.max(1, fed.get()));
                host.backward(new Message.Backward(JOB, a.term(), i, tensor(a.graphs().outputShape(), random)));
            }
        } catch (ProtocolException refused) {
            // Stale, out of order, unassigned or shut down: what a device says to such a message.
        }
    }

    /** A new term that gives this device one stage of one of two layouts. */
    private void assign(StageHost host, Random random) throws Exception {
        int[] bounds = random.nextBoolean() ? new int[]{0, 2, model.size()} : new int[]{0, 1, model.size()};
        int stage = random.nextInt(2);
        long term = terms.incrementAndGet();
        var settings = new Assignments.JobSettings(JOB, OptimizerConfig.sgd(0.01, 0.9, 0), Schedule.ONE_F_ONE_B, 1,
                BATCH, 3, 5);
        Assignment a = Assignment.decode(Assignments.forPartition(model, bounds, term, term * 10, settings,
                Assignments.initialUnits(model, term), java.util.Set.of(),
                (from, to) -> graphs.computeIfAbsent(List.of(from, to), r -> StageCompiler.compile(model, from, to)))
                .get(stage));
        synchronized (this) {
            host.assign(a, new CountingOutbox(), "d0");
            fed.set(0);
            current.set(a);
        }
    }

    private static Tensor tensor(long[] sampleShape, Random random) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = BATCH;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() - 0.5f;
        }
        return Tensor.ofFloats(shape, FloatBuffer.wrap(v));
    }

    /** Counts what the stages computed; sends nothing. */
    private final class CountingOutbox implements Outbox {
        @Override
        public void toNextStage(Message.Forward m) {
            computed.incrementAndGet();
        }

        @Override
        public void toPreviousStage(Message.Backward m) {
            computed.incrementAndGet();
        }

        @Override
        public void toCentral(Message.Progress m) {
            computed.incrementAndGet();
        }

        @Override
        public void replicate(Message.Replica m, boolean chain) {
        }

        @Override
        public void replicated(long nanos) {
        }
    }
}
