package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ProgressLedgerTest {
    private final ProgressLedger ledger = new ProgressLedger();

    private static Message.Progress loss(long i, double loss, long correct, int count) {
        return new Message.Progress("j", 1, i, 2, Message.Progress.LOSS, loss, correct, count);
    }

    private static Message.Progress done(long i) {
        return new Message.Progress("j", 1, i, 0, Message.Progress.DONE, 0, 0, 32);
    }

    @Test
    void drainedOnlyWhenEveryFedMicroBatchFinishedBothWays() {
        ledger.record(loss(0, 1, 16, 32));
        ledger.record(loss(1, 1, 16, 32));
        ledger.record(done(0));
        assertFalse(ledger.drained(2), "micro-batch 1 has not come back through stage 0");
        ledger.record(done(1));
        assertTrue(ledger.drained(2));
        assertEquals(2, ledger.done());
    }

    @Test
    void aRewindForgetsWhatWillBeReplayedSoEachSampleCountsOnce() {
        for (int i = 0; i < 3; i++) {
            ledger.record(loss(i, 1 + i, 10, 32));
        }
        ledger.record(done(0));
        assertEquals(1, ledger.firstUnfinished());
        ledger.rewind(1); // micro-batches 1 and 2 are fed again in the next term
        assertEquals(32, ledger.samples());
        assertEquals(1.0, ledger.loss(), 1e-12);
        assertEquals(1, ledger.done());
        for (int i = 1; i < 3; i++) {
            ledger.record(loss(i, 5, 20, 32));
            ledger.record(done(i));
        }
        assertEquals(96, ledger.samples());
        assertEquals((1 + 5 + 5) / 3.0, ledger.loss(), 1e-12);
        assertEquals(50 / 96.0, ledger.accuracy(), 1e-12);
        assertTrue(ledger.drained(3));
        assertEquals(0, ledger.duplicates());
    }

    @Test
    void aRewindBeforeFinishedMicroBatchesTakesThemBack() {
        ledger.record(loss(0, 1, 1, 32));
        ledger.record(done(0));
        ledger.record(loss(1, 1, 1, 32));
        ledger.record(done(1));
        ledger.rewind(0); // GPipe: the whole step again
        assertEquals(0, ledger.done());
        assertEquals(0, ledger.samples());
        assertEquals(0, ledger.firstUnfinished());
        assertTrue(ledger.drained(0));
    }

    @Test
    void aRepeatedReportCountsAsADuplicateAndNotAsASample() {
        ledger.record(loss(0, 2, 8, 32));
        ledger.record(loss(0, 2, 8, 32));
        ledger.record(done(0));
        ledger.record(done(0));
        assertEquals(32, ledger.samples());
        assertEquals(1, ledger.done());
        assertEquals(2, ledger.duplicates());
    }

    @Test
    void lossAndAccuracyAreSampleWeightedPerEpoch() {
        assertTrue(Double.isNaN(ledger.loss()));
        ledger.record(loss(0, 1.0, 30, 32));
        ledger.record(loss(1, 4.0, 0, 16));
        assertEquals((32 * 1.0 + 16 * 4.0) / 48, ledger.loss(), 1e-12);
        assertEquals(30.0 / 48, ledger.accuracy(), 1e-12);
        ledger.newEpoch();
        assertEquals(0, ledger.samples());
        ledger.record(loss(1, 9, 9, 16));
        assertEquals(1, ledger.duplicates(), "the micro-batch record spans epochs");
    }

    @Test
    void aResumedLedgerGoesOnAsTheOneThatWroteThePositionWouldAfterARewind() {
        for (int i = 0; i < 4; i++) {
            ledger.record(loss(i, 1 + i, 10, 32));
        }
        ledger.record(done(0));
        ledger.record(done(1));
        ProgressLedger.Position at = ledger.position(ledger.firstUnfinished());
        assertEquals(2, at.resumeAt());
        assertEquals(64, at.samples(), "micro-batches 2 and 3 reported a loss but are fed again");

        ProgressLedger resumed = ProgressLedger.resumed(at);
        ledger.rewind(2);
        for (ProgressLedger l : new ProgressLedger[]{ledger, resumed}) {
            l.record(loss(2, 5, 20, 32));
            l.record(done(2));
        }
        assertEquals(ledger.samples(), resumed.samples());
        assertEquals(ledger.loss(), resumed.loss(), 1e-12);
        assertEquals(ledger.accuracy(), resumed.accuracy(), 1e-12);
        assertEquals(ledger.done(), resumed.done());
        assertTrue(resumed.drained(3));
        resumed.record(done(1));
        assertEquals(1, resumed.duplicates(), "a micro-batch before the position counts as finished");
    }

    @Test
    void aPositionPastTheFirstUnfinishedMicroBatchIsRefused() {
        ledger.record(done(0));
        assertThrows(IllegalArgumentException.class, () -> ledger.position(2));
    }
}
