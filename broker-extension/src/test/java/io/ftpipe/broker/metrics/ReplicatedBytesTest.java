package io.ftpipe.broker.metrics;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicatedBytesTest {
    private static Message.Heartbeat beat(String d, long replicatedBytes) {
        return new Heartbeat(d, 0, new Heartbeat.Activity("training", "j", 1, 0), 0, 0, Heartbeat.StageTime.NONE,
                Heartbeat.StageCounts.NONE, new Heartbeat.Replication(replicatedBytes, 0), Heartbeat.Boundary.NONE);
    }

    @Test
    void countsDifferencesFromTheFirstHeartbeatSeenAndSurvivesARestart() {
        ReplicatedBytes bytes = new ReplicatedBytes();
        assertEquals(0, bytes.since(beat("a", 5000)), "sent before we watched: not ours to count");
        assertEquals(0, bytes.since(beat("b", 0)));
        assertEquals(700, bytes.since(beat("a", 5700)));
        assertEquals(0, bytes.since(beat("a", 5700)));
        assertEquals(300, bytes.since(beat("a", 300)), "the device restarted: its count began again");
        assertEquals(100, bytes.since(beat("b", 100)));
    }
}
