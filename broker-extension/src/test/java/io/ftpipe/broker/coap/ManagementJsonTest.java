package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagementJsonTest {

    private static final Message.Hello HELLO = new Message.Hello("d1", 4, 8L << 30, 2, "0.1.0", 1 << 20);

    private static Message.Heartbeat heartbeat(String state, String job) {
        return new Heartbeat("d1", 7, new Heartbeat.Activity(state, job, 3, 1), 12.5, 0, Heartbeat.StageTime.NONE,
                Heartbeat.StageCounts.NONE, Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE);
    }

    @Test
    void aTrainingDeviceShowsItsJobStageAndMeasuredCapacity() {
        var d = new DeviceRegistry.Device("d1", HELLO, true, 1_000, 9_000, heartbeat("training", "j"));
        JsonNode capacity = ManagementJson.MAPPER.valueToTree(new JobReport.Capacity(2.25, Double.NaN));
        ObjectNode v = ManagementJson.device(d, true, 10_000, Optional.of(capacity));
        assertEquals("training", v.get("state").asText());
        assertEquals("j", v.get("job").asText());
        assertEquals(1, v.get("stage").asInt());
        assertEquals(3, v.get("term").asLong());
        assertEquals(12.5, v.get("compute_ms").asDouble());
        assertEquals(2.25, v.get("slowdown").asDouble());
        assertTrue(v.get("upload_bytes_per_ms").isNull(), "NaN (nothing sent yet) is null, not a string");
        assertEquals(1_000, v.get("last_seen_ms_ago").asLong());
        assertEquals(9_000, v.get("joined_ms_ago").asLong());
        assertEquals(4, v.get("cores").asInt());
        assertEquals(8L << 30, v.get("memory_bytes").asLong());
    }

    @Test
    void aDeviceThatOnlySaidHelloIsIdle() {
        var d = new DeviceRegistry.Device("d1", HELLO, true, 1_000, 1_000, null);
        ObjectNode v = ManagementJson.device(d, true, 1_500, Optional.empty());
        assertEquals("idle", v.get("state").asText());
        assertTrue(v.get("job").isNull());
        assertTrue(v.get("compute_ms").isNull());
        assertTrue(v.get("slowdown").isNull());
    }

    @Test
    void aDeadDeviceIsOfflineWhateverItLastSaid() {
        var d = new DeviceRegistry.Device("d1", HELLO, false, 1_000, 2_000, heartbeat("training", "j"));
        ObjectNode v = ManagementJson.device(d, false, 60_000, Optional.empty());
        assertEquals("offline", v.get("state").asText());
        assertFalse(v.get("alive").asBoolean());
        assertTrue(v.get("job").isNull());
        assertTrue(v.get("stage").isNull());
    }

    @Test
    void thePlanComesFromTheStatusAJobPublishes() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("job", "j");
        status.put("term", 2L);
        status.put("stages", List.of(new JobReport.Stage(0, "d1", 0, 2, 3.5, 0.5),
                new JobReport.Stage(1, "d2", 2, 6, 4.0, 0.0)));
        status.put("predicted_samples_per_second", 250.0);
        var job = new KnownJobs.Job("j", KnownJobs.State.RUNNING, ManagementJson.tree(status), null, null);

        ObjectNode plan = ManagementJson.plan(job);
        assertEquals(2, plan.get("term").asLong());
        assertEquals(250.0, plan.get("predicted_samples_per_second").asDouble());
        JsonNode second = plan.get("stages").get(1);
        assertEquals("d2", second.get("device").asText());
        assertEquals(2, second.get("from_unit").asInt());
        assertEquals(6, second.get("to_unit").asInt());
        assertEquals(4.0, second.get("predicted_compute_ms").asDouble());
        assertEquals(0.0, second.get("predicted_send_ms").asDouble());
    }

    @Test
    void aJobsStatusIsItsPublishedMapPlusState() throws Exception {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("job", "j");
        status.put("micro_batches_done", 40L);
        var job = new KnownJobs.Job("j", KnownJobs.State.STOPPED, ManagementJson.tree(status), "stopped: test", null);
        JsonNode json = ManagementJson.MAPPER.readTree(new String(ManagementJson.bytes(ManagementJson.jobStatus(job)),
                StandardCharsets.UTF_8));
        assertEquals(40, json.get("micro_batches_done").asLong());
        assertEquals("stopped", json.get("state").asText());
        assertEquals("stopped: test", json.get("error").asText());
        assertFalse(job.status().has("state"), "the stored status is never modified");
    }
}
