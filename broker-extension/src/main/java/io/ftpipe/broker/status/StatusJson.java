package io.ftpipe.broker.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.json.PublishedJson;
import io.ftpipe.protocol.Message;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON of the status and event topics (docs/protocol.md): pure functions of what the caller
 * saw. Keys are snake_case and mean what they mean in the CoAP API (docs/management.md), except
 * that times are absolute ({@code *_at}, milliseconds since the epoch): a retained message is
 * read long after it was published, so "ms ago" would be wrong by then.
 */
public final class StatusJson {
    private static final ObjectMapper MAPPER = PublishedJson.MAPPER;

    private StatusJson() {
    }

    /** {@code ftpipe/v1/status/devices}: every device that ever joined, by id. */
    static ObjectNode devices(List<DeviceRegistry.Device> devices, Collection<String> alive, long now) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("at", now);
        ArrayNode list = o.putArray("devices");
        devices.stream().sorted(Comparator.comparing(DeviceRegistry.Device::id))
                .forEach(d -> list.add(device(d, alive.contains(d.id()))));
        return o;
    }

    /**
     * One device. {@code alive} is the central node's rule (connected and heard from within the
     * heartbeat timeout); {@code state} is {@code offline} unless alive, else what its last heartbeat
     * said ({@code idle} before the first).
     */
    public static ObjectNode device(DeviceRegistry.Device d, boolean alive) {
        Message.Heartbeat h = d.lastHeartbeat();
        Message.Hello hello = d.hello();
        boolean onJob = alive && h != null && h.activity().job() != null && !h.activity().job().isEmpty();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", d.id());
        o.put("state", !alive ? "offline" : h == null ? "idle" : h.activity().state());
        o.put("alive", alive);
        o.put("connected", d.connected());
        o.put("job", onJob ? h.activity().job() : null);
        if (onJob) {
            o.put("stage", h.activity().stage());
            o.put("term", h.activity().term());
        } else {
            o.putNull("stage");
            o.putNull("term");
        }
        if (h != null && h.computeMillis() > 0 && Double.isFinite(h.computeMillis())) {
            o.put("compute_ms", h.computeMillis());
        } else {
            o.putNull("compute_ms");
        }
        o.put("last_seen_at", d.lastSeenMillis());
        o.put("joined_at", d.joinedMillis());
        o.put("cores", hello.cores());
        o.put("threads", hello.threads());
        o.put("memory_bytes", hello.memoryBytes());
        o.put("max_payload_bytes", hello.maxPayloadBytes());
        o.put("version", hello.version());
        return o;
    }

    /**
     * {@code ftpipe/v1/jobs/{job}/plan}: the term's layout as the planner chose it. Units
     * {@code [from_unit, to_unit)}; times per micro-batch as predicted from the capacities known then.
     */
    static ObjectNode plan(String job, JobReport.Term t, long now) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("job", job);
        o.put("term", t.term());
        o.put("start", t.start());
        o.put("reason", t.reason());
        o.set("predicted_samples_per_second", finite(t.predictedSamplesPerSecond()));
        ArrayNode stages = o.putArray("stages");
        for (JobReport.Stage s : t.stages()) {
            ObjectNode stage = stages.addObject();
            stage.put("stage", s.stage());
            stage.put("device", s.device());
            stage.put("from_unit", s.from());
            stage.put("to_unit", s.to());
            stage.set("predicted_compute_ms", finite(s.predictedComputeMillis()));
            stage.set("predicted_send_ms", finite(s.predictedSendMillis()));
        }
        o.put("at", now);
        return o;
    }

    /** {@code ftpipe/v1/events/devices}. */
    static ObjectNode event(DeviceEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("device", e.device());
        o.put("event", e.kind().json());
        o.put("reason", e.reason());
        o.put("at", e.atMillis());
        return o;
    }

    /** JSON has no NaN or infinity. */
    private static JsonNode finite(double v) {
        return Double.isFinite(v) ? MAPPER.getNodeFactory().numberNode(v) : MAPPER.nullNode();
    }

    static byte[] bytes(JsonNode json) {
        return PublishedJson.bytes(json);
    }
}
