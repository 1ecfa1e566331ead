package io.ftpipe.broker.coap;

import io.ftpipe.broker.central.JobReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownJobsTest {

    private final KnownJobs jobs = new KnownJobs();
    private final List<String> heard = new ArrayList<>();

    KnownJobsTest() {
        jobs.listen(new KnownJobs.Listener() {
            @Override
            public void added(String job) {
                heard.add("added " + job);
            }

            @Override
            public void changed(String job) {
                heard.add("changed " + job);
            }

            @Override
            public void removed(String job) {
                heard.add("removed " + job);
            }
        });
    }

    private static Map<String, Object> status(String job, long term) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("job", job);
        s.put("model", "mlp");
        s.put("term", term);
        s.put("capacities", Map.of("d1", new JobReport.Capacity(1.5, Double.NaN)));
        return s;
    }

    @Test
    void aQueuedJobIsQueuedUntilItsStatusSaysItRunsAndCanBeStopped() {
        Map<String, Object> waiting = status("q", 0);
        waiting.put("state", "queued");
        waiting.put("queue_position", 2);
        jobs.statusChanged("q", waiting);
        KnownJobs.Job q = jobs.get("q").orElseThrow();
        assertEquals(KnownJobs.State.QUEUED, q.state());
        assertEquals("queued", ManagementJson.jobSummary(q).get("state").asText());
        assertEquals(2, ManagementJson.jobSummary(q).get("queue_position").asInt());

        Map<String, Object> running = status("q", 1);
        running.put("state", "running");
        running.put("queue_position", null);
        jobs.statusChanged("q", running);
        assertEquals(KnownJobs.State.RUNNING, jobs.get("q").orElseThrow().state());
        assertTrue(ManagementJson.jobSummary(jobs.get("q").orElseThrow()).get("queue_position").isNull());

        jobs.statusChanged("q2", waiting);
        assertTrue(jobs.stopping("q2"), "a queued job can be stopped");
        jobs.ended("q2", null, new IllegalStateException("stopped: test"));
        assertEquals(KnownJobs.State.STOPPED, jobs.get("q2").orElseThrow().state());
        jobs.statusChanged("q2", waiting);
        assertEquals(KnownJobs.State.STOPPED, jobs.get("q2").orElseThrow().state(), "an ended job stays ended");
    }

    @Test
    void aJobAppearsWithItsFirstStatusAndFollowsIt() {
        jobs.statusChanged("a", status("a", 1));
        jobs.statusChanged("a", status("a", 2));
        KnownJobs.Job a = jobs.get("a").orElseThrow();
        assertEquals(KnownJobs.State.RUNNING, a.state());
        assertEquals(2, a.status().get("term").asLong());
        assertEquals(List.of("added a", "changed a", "changed a"), heard);
        assertEquals(1.5, jobs.capacity("a", "d1").orElseThrow().get("slowdown").asDouble());
        assertTrue(jobs.capacity("a", "d2").isEmpty());
    }

    @Test
    void submittedJobsAreKnownBeforeTheirFirstStatus() {
        jobs.submitted("b", ManagementJson.emptyStatus("b"));
        assertEquals("b", jobs.get("b").orElseThrow().status().get("job").asText());
        jobs.statusChanged("b", status("b", 1));
        assertEquals(List.of("added b", "changed b"), heard);
    }

    @Test
    void endsAreCompleteFailedOrStopped() {
        for (String j : List.of("ok", "bad", "halted")) {
            jobs.statusChanged(j, status(j, 1));
        }
        assertTrue(jobs.stopping("halted"));
        jobs.ended("ok", null, null);
        jobs.ended("bad", null, new IllegalStateException("only 1 of 3 devices joined"));
        jobs.ended("halted", null, new IllegalStateException("stopped: maintenance"));

        assertEquals(KnownJobs.State.COMPLETE, jobs.get("ok").orElseThrow().state());
        assertNull(jobs.get("ok").orElseThrow().error());
        assertEquals(KnownJobs.State.FAILED, jobs.get("bad").orElseThrow().state());
        assertEquals("only 1 of 3 devices joined", jobs.get("bad").orElseThrow().error());
        assertEquals(KnownJobs.State.STOPPED, jobs.get("halted").orElseThrow().state());
        assertEquals("stopped: maintenance", jobs.get("halted").orElseThrow().error());
        assertEquals(1, jobs.get("ok").orElseThrow().status().get("term").asLong(), "the last status is kept");
        assertTrue(jobs.capacity("ok", "d1").isEmpty(), "an ended job measures nothing any more");
        assertFalse(jobs.stopping("ok"), "an ended job cannot be stopped");
    }

    @Test
    void onlyTheNewestEndedJobsAreKept() {
        jobs.statusChanged("running", status("running", 1));
        for (int i = 0; i < KnownJobs.MAX_ENDED + 2; i++) {
            String j = "old-" + i;
            jobs.statusChanged(j, status(j, 1));
            jobs.ended(j, null, null);
        }
        assertFalse(jobs.knows("old-0"));
        assertFalse(jobs.knows("old-1"));
        assertTrue(jobs.knows("old-2"));
        assertTrue(jobs.knows("running"), "running jobs are never dropped");
        assertEquals(KnownJobs.MAX_ENDED + 1, jobs.all().size());
        assertTrue(heard.contains("removed old-0") && heard.contains("removed old-1"));
    }
}
