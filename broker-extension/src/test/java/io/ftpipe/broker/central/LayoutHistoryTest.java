package io.ftpipe.broker.central;

import io.ftpipe.broker.plan.StageAssignment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LayoutHistoryTest {
    private static final List<StageAssignment> A = List.of(new StageAssignment("d1", 0, 2),
            new StageAssignment("d2", 2, 6));
    private static final List<StageAssignment> B = List.of(new StageAssignment("d2", 0, 2),
            new StageAssignment("d1", 2, 6));
    private final LayoutHistory history = new LayoutHistory();

    /** Runs a term on {@code layout} finishing a micro-batch every {@code every} ms from {@code at}. */
    private long run(List<StageAssignment> layout, long at, long every, int microBatches) {
        return run(layout, at, every, microBatches, every, false);
    }

    private long run(List<StageAssignment> layout, long at, long every, int microBatches, double predicted,
                     boolean replanned) {
        history.started(layout, predicted, replanned);
        for (int i = 0; i < microBatches; i++) {
            history.finished(at + i * every);
        }
        return at + microBatches * every;
    }

    @Test
    void aLayoutThatDidNoBetterIsNotTriedAgain() {
        long t = run(A, 0, 100, 20);
        t = run(B, t, 110, 20); // the predicted gain did not come: slower
        assertTrue(history.didNoBetter(A, 0.25), "A did 100 ms, only 9 % better than B's 110");
        run(A, t, 100, 20);
        assertTrue(history.didNoBetter(B, 0.25));
    }

    @Test
    void aLayoutThatDidMuchBetterMayComeBack() {
        long t = run(A, 0, 50, 20);
        run(B, t, 100, 20); // e.g. a device slowed down meanwhile
        assertFalse(history.didNoBetter(A, 0.25));
    }

    @Test
    void untriedOrUnmeasuredIsLeftToThePrediction() {
        run(A, 0, 100, 20);
        assertFalse(history.didNoBetter(B, 0.25), "B never ran");
        long t = run(B, 0, 100, LayoutHistory.MIN_MICRO_BATCHES); // its pace not known yet
        assertFalse(history.didNoBetter(A, 0.25), "the current pace is not measured yet at " + t);
    }

    @Test
    void eachReplanThatMissesItsPredictionDoublesTheBarAndOneThatKeepsItResetsIt() {
        long t = run(A, 0, 100, 20);
        assertEquals(0.25, history.threshold(0.25), 1e-12);
        t = run(B, t, 100, 20, 70, true); // predicted 70 ms, did 100: missed
        assertEquals(0.5, history.threshold(0.25), 1e-12);
        t = run(A, t, 100, 20, 60, true);
        assertEquals(1.0, history.threshold(0.25), 1e-12);
        t = run(B, t, 100, 20, 50, false); // a recovery's layout: not a re-plan, no verdict
        assertEquals(1.0, history.threshold(0.25), 1e-12);
        for (int i = 0; i < 3; i++) {
            t = run(A, t, 100, 20, 10, true);
        }
        assertEquals(0.25 * (1 << LayoutHistory.MAX_MISSES), history.threshold(0.25), 1e-12);
        run(B, t, 100, 20, 90, true); // within the margin of its prediction
        assertEquals(0.25, history.threshold(0.25), 1e-12);
    }
}
