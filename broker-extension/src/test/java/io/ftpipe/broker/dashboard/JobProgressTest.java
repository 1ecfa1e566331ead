package io.ftpipe.broker.dashboard;

import io.ftpipe.broker.central.JobWatcher;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobProgressTest {

    @Test
    void aJobWaitingForDevicesShowsAsQueuedUntilItRunsOrEnds() {
        JobProgress job = new JobProgress("j", null, e -> { });
        job.status(Map.of("state", JobWatcher.QUEUED, "queue_position", 1));
        assertEquals(JobWatcher.QUEUED, job.json().get("state").asText());
        job.status(Map.of("state", JobWatcher.RUNNING));
        assertEquals(JobWatcher.RUNNING, job.json().get("state").asText());
        job.status(Map.of("state", JobWatcher.QUEUED));
        job.ended("stopped", "by an operator");
        assertEquals("stopped", job.json().get("state").asText(), "an end is an end, whatever the last status");
    }
}
