package io.ftpipe.broker.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import io.ftpipe.protocol.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publishing, with a recording publisher and a clock of the test's own. */
class StatusTopicsTest {
    private record Published(String topic, JsonNode json, boolean retained) {
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final AtomicLong now = new AtomicLong(1_000);
    private final DeviceRegistry registry = new DeviceRegistry(now::get);
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<DeviceEvent> told = new CopyOnWriteArrayList<>();
    private final StatusTopics status = StatusTopics.start((topic, payload, qos, retain) -> {
        try {
            published.add(new Published(topic, new ObjectMapper().readTree(payload), retain));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return CompletableFuture.completedFuture(null);
    }, registry, 5000, now::get, told::add);

    @AfterEach
    void close() {
        status.close();
    }

    private List<Published> on(String topic) {
        return published.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    private JsonNode lastView() {
        List<Published> views = on(Topics.DEVICES_STATUS);
        return views.get(views.size() - 1).json();
    }

    private void join(String id) {
        registry.joined(new Message.Hello(id, 2, 1L << 30, 1, "t", 1 << 20));
        status.hello(id);
    }

    @Test
    void startsWithAnEmptyRetainedView() {
        await().atMost(WAIT).until(() -> !on(Topics.DEVICES_STATUS).isEmpty());
        Published first = on(Topics.DEVICES_STATUS).get(0);
        assertTrue(first.retained());
        assertEquals(0, first.json().get("devices").size());
    }

    @Test
    void helloIsABirthAndAViewAtOnce() {
        join("gw-1");
        await().atMost(WAIT).until(() -> !on(Topics.DEVICE_EVENTS).isEmpty()
                && lastView().get("devices").size() == 1);
        Published birth = on(Topics.DEVICE_EVENTS).get(0);
        assertFalse(birth.retained(), "events are not state: a late subscriber must not see an old birth");
        assertEquals("birth", birth.json().get("event").asText());
        assertEquals("gw-1", birth.json().get("device").asText());
        assertEquals(1_000, birth.json().get("at").asLong());
        assertTrue(lastView().get("devices").get(0).get("alive").asBoolean());
        assertEquals(List.of(DeviceEvent.Kind.BIRTH), told.stream().map(DeviceEvent::kind).toList());
    }

    @Test
    void aLostConnectionIsADeathAndTheViewShowsItOffline() {
        join("gw-2");
        registry.disconnected("gw-2");
        status.gone("gw-2", "connection lost");
        await().atMost(WAIT).until(() -> on(Topics.DEVICE_EVENTS).size() == 2
                && lastView().get("devices").get(0).get("state").asText().equals("offline"));
        JsonNode death = on(Topics.DEVICE_EVENTS).get(1).json();
        assertEquals("death", death.get("event").asText());
        assertEquals("connection lost", death.get("reason").asText());
    }

    @Test
    void silenceIsFoundByTheRefreshAndHeartbeatsRefreshTheView() {
        join("gw-3");
        await().atMost(WAIT).until(() -> on(Topics.DEVICE_EVENTS).size() == 1);
        now.addAndGet(6_000);
        await().atMost(WAIT).until(() -> on(Topics.DEVICE_EVENTS).size() == 2);
        assertEquals("no heartbeat for 6000 ms", on(Topics.DEVICE_EVENTS).get(1).json().get("reason").asText());
        await().atMost(WAIT).until(() -> !lastView().get("devices").get(0).get("alive").asBoolean());

        registry.heartbeat(new Heartbeat("gw-3", 1, Heartbeat.Activity.IDLE, 2.0, 0, Heartbeat.StageTime.NONE,
                Heartbeat.StageCounts.NONE, Heartbeat.Replication.NONE, Heartbeat.Boundary.NONE));
        status.heard("gw-3");
        await().atMost(WAIT).until(() -> on(Topics.DEVICE_EVENTS).size() == 3);
        assertEquals("heard from again", on(Topics.DEVICE_EVENTS).get(2).json().get("reason").asText());
        await().atMost(WAIT).until(() -> lastView().get("devices").get(0).get("compute_ms").asDouble() == 2.0);
    }

    @Test
    void everyTermStartPublishesTheRetainedPlan() {
        var term = new JobReport.Term(1, 0, 0.5, List.of(new JobReport.Stage(0, "gw-1", 0, 3, 1.0, 0.0)), 900.0,
                Map.of(), "speed-blind start");
        status.plansOf("job-7").termStarted(term);
        await().atMost(WAIT).until(() -> !on(Topics.job("job-7", Topics.PLAN)).isEmpty());
        Published plan = on(Topics.job("job-7", Topics.PLAN)).get(0);
        assertTrue(plan.retained());
        assertEquals("gw-1", plan.json().get("stages").get(0).get("device").asText());
        assertEquals(3, plan.json().get("stages").get(0).get("to_unit").asInt());
    }
}
