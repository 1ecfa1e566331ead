package io.ftpipe.broker.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusJsonTest {
    private static final Message.Hello HELLO = new Message.Hello("x", 4, 1L << 30, 2, "0.1.0", 1 << 20);

    private static JsonNode json(com.fasterxml.jackson.databind.node.ObjectNode o) throws Exception {
        // Through bytes, as a subscriber sees it.
        return new ObjectMapper().readTree(StatusJson.bytes(o));
    }

    private static Message.Heartbeat training(String id) {
        return new Heartbeat(id, 3, new Heartbeat.Activity("training", "j1", 2, 1), 1.5, 0, Heartbeat.StageTime.NONE,
                Heartbeat.StageCounts.NONE, Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE);
    }

    @Test
    void devicesViewSaysWhoIsAliveAndWhatEachDoes() throws Exception {
        var busy = new DeviceRegistry.Device("b", HELLO, true, 100, 900, training("b"));
        var fresh = new DeviceRegistry.Device("a", HELLO, true, 100, 100, null);
        var gone = new DeviceRegistry.Device("c", HELLO, false, 100, 500, training("c"));
        JsonNode view = json(StatusJson.devices(List.of(busy, gone, fresh), List.of("a", "b"), 1000));

        assertEquals(1000, view.get("at").asLong());
        JsonNode a = view.get("devices").get(0);
        JsonNode b = view.get("devices").get(1);
        JsonNode c = view.get("devices").get(2);
        assertEquals(List.of("a", "b", "c"), List.of(a.get("id").asText(), b.get("id").asText(), c.get("id").asText()));

        assertEquals("idle", a.get("state").asText());
        assertTrue(a.get("job").isNull());
        assertTrue(a.get("compute_ms").isNull());

        assertEquals("training", b.get("state").asText());
        assertEquals("j1", b.get("job").asText());
        assertEquals(1, b.get("stage").asInt());
        assertEquals(2, b.get("term").asInt());
        assertEquals(1.5, b.get("compute_ms").asDouble());
        assertEquals(900, b.get("last_seen_at").asLong());
        assertEquals(100, b.get("joined_at").asLong());
        assertEquals(4, b.get("cores").asInt());

        // Offline: its last heartbeat said training, but that is over.
        assertEquals("offline", c.get("state").asText());
        assertEquals(false, c.get("alive").asBoolean());
        assertEquals(false, c.get("connected").asBoolean());
        assertTrue(c.get("job").isNull());
        assertTrue(c.get("stage").isNull());
    }

    @Test
    void planHasTheStagesUnitsAndPredictionsAndNoNaN() throws Exception {
        var term = new JobReport.Term(3, 128, 12.5, List.of(
                new JobReport.Stage(0, "a", 0, 2, 1.25, 3.5),
                new JobReport.Stage(1, "b", 2, 5, Double.NaN, 0)), 2048.0, Map.of(), "recovery from [c (connection lost)]");
        JsonNode plan = json(StatusJson.plan("j1", term, 777));

        assertEquals("j1", plan.get("job").asText());
        assertEquals(3, plan.get("term").asInt());
        assertEquals(128, plan.get("start").asInt());
        assertEquals("recovery from [c (connection lost)]", plan.get("reason").asText());
        assertEquals(2048.0, plan.get("predicted_samples_per_second").asDouble());
        assertEquals(777, plan.get("at").asLong());
        JsonNode s0 = plan.get("stages").get(0);
        assertEquals("a", s0.get("device").asText());
        assertEquals(0, s0.get("from_unit").asInt());
        assertEquals(2, s0.get("to_unit").asInt());
        assertEquals(1.25, s0.get("predicted_compute_ms").asDouble());
        assertEquals(3.5, s0.get("predicted_send_ms").asDouble());
        assertTrue(plan.get("stages").get(1).get("predicted_compute_ms").isNull());
    }

    @Test
    void eventNamesItsKindInLowerCase() throws Exception {
        JsonNode e = json(StatusJson.event(new DeviceEvent("d", DeviceEvent.Kind.DEATH, "last will", 5)));
        assertEquals("{\"device\":\"d\",\"event\":\"death\",\"reason\":\"last will\",\"at\":5}", e.toString());
    }
}
