package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobReplicationTest {
    private static Message.Heartbeat beat(String d, long bytes, double millis) {
        return new Heartbeat(d, 0, new Heartbeat.Activity("training", "j", 1, 0), 0, 0, Heartbeat.StageTime.NONE,
                Heartbeat.StageCounts.NONE, new Heartbeat.Replication(bytes, millis), Heartbeat.Boundary.NONE);
    }

    @Test
    void countsEachDeviceFromItsFirstHeartbeatInTheJobAndSumsTheDevices() {
        JobReplication r = new JobReplication();
        r.heartbeat(beat("a", 5000, 40.5));
        r.heartbeat(beat("b", 0, 0));
        assertEquals(JobReplication.Counts.ZERO, r.total(), "replicated before the job: not the job's");
        r.heartbeat(beat("a", 5700, 42.0));
        r.heartbeat(beat("b", 300, 3.25));
        r.heartbeat(beat("a", 6000, 44.5));
        assertEquals(new JobReplication.Counts(1000 + 300, 4.0 + 3.25), r.total());
        assertEquals(Map.of("a", new JobReplication.Counts(5000, 40.5), "b", JobReplication.Counts.ZERO), r.firsts());
    }

    @Test
    void aResumedJobCountsFromTheCheckpointsCountsIncludingWhatWasReplicatedWhileTheCentralNodeWasDown() {
        JobReplication r = new JobReplication();
        r.resumeFrom(Map.of("a", new JobReplication.Counts(100, 1.5), "gone", new JobReplication.Counts(70, 9)));
        assertEquals(JobReplication.Counts.ZERO, r.total(), "a device not heard from again adds nothing");
        r.heartbeat(beat("a", 900, 11.5));
        r.heartbeat(beat("new", 50, 2));
        assertEquals(new JobReplication.Counts(800, 10), r.total());
        assertEquals(new JobReplication.Counts(100, 1.5), r.firsts().get("a"));
    }
}
