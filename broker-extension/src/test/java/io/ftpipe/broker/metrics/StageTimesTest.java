package io.ftpipe.broker.metrics;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageTimesTest {
    private final StageTimes times = new StageTimes();

    /** A heartbeat of device d on stage 1 of job j in {@code term}, with these totals. */
    private static Message.Heartbeat beat(long term, long forwards, long finished, double compute, double send,
                                          double stage) {
        return new Heartbeat("d", 0, new Heartbeat.Activity("training", "j", term, 1), 0, 0,
                new Heartbeat.StageTime(compute, send, stage), new Heartbeat.StageCounts(forwards, finished, 0),
                Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE);
    }

    @Test
    void splitsTheIntervalPerMicroBatchIntoComputeSendAndWait() {
        assertTrue(times.heartbeat(beat(1, 2, 1, 10, 2, 30)).isEmpty(), "the first heartbeat only marks");
        // 6 forwards, 4 finished: 5 micro-batches' worth; 500 ms of stage time: 100 computing, 50 sending.
        var i = times.heartbeat(beat(1, 8, 5, 110, 52, 530)).orElseThrow();
        assertEquals("j", i.job());
        assertEquals(1, i.stage());
        assertEquals(20, i.computeMillis(), 1e-9);
        assertEquals(10, i.sendMillis(), 1e-9);
        assertEquals(70, i.waitMillis(), 1e-9);
    }

    @Test
    void aNewTermStartsAgainAndAnIdleIntervalSaysNothing() {
        times.heartbeat(beat(1, 2, 1, 10, 0, 20));
        assertTrue(times.heartbeat(beat(2, 1, 0, 1, 0, 2)).isEmpty(), "the new stage's totals start again");
        assertTrue(times.heartbeat(beat(2, 1, 0, 1, 0, 900)).isEmpty(), "no micro-batch ran");
        assertTrue(times.heartbeat(new Heartbeat("d", 0, Heartbeat.Activity.IDLE, 0, 0, Heartbeat.StageTime.NONE,
                Heartbeat.StageCounts.NONE, Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE)).isEmpty());
        assertTrue(times.heartbeat(beat(2, 3, 2, 5, 0, 950)).isEmpty(), "idle forgot the mark");
    }

    @Test
    void timingJitterNeverMakesWaitingNegative() {
        times.heartbeat(beat(1, 1, 1, 0, 0, 0));
        var i = times.heartbeat(beat(1, 3, 3, 100, 10, 105)).orElseThrow();
        assertEquals(0, i.waitMillis());
    }
}
