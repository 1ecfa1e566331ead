package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.status.StatusJson;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.json.PublishedJson;

import java.util.Map;
import java.util.Optional;

/**
 * The management API's JSON: pure functions from what the central node knows to the payloads of
 * docs/management.md. Keys are snake_case like the job status and the wire protocol. Nothing here
 * reads a clock or a registry; callers pass what they saw.
 */
final class ManagementJson {
    static final ObjectMapper MAPPER = PublishedJson.MAPPER;

    private ManagementJson() {
    }

    /** A job's status map (as the central node publishes it) as JSON. */
    static ObjectNode tree(Map<String, Object> status) {
        return MAPPER.valueToTree(status);
    }

    /** The status of a job that has not published one yet. */
    static ObjectNode emptyStatus(String job) {
        return MAPPER.createObjectNode().put("job", job);
    }

    /** A job's status between its submission and the first status it publishes (the same keys). */
    static ObjectNode submittedStatus(JobSpec spec) {
        ObjectNode o = emptyStatus(spec.id());
        o.put("model", spec.model());
        o.put("schedule", spec.schedule());
        o.put("planner", spec.planner());
        o.put("last_event", "submitted through the management API");
        return o;
    }

    /** What a complete job achieved. */
    static ObjectNode result(JobReport r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("test_accuracy", r.testAccuracy());
        o.put("samples_per_second", r.samplesPerSecond());
        o.put("seconds", r.seconds());
        o.put("epochs", r.epochs().size());
        o.put("recoveries", r.recoveries().size());
        o.put("model_path", r.modelPath());
        return o;
    }

    /**
     * One device.
     *
     * @param alive       connected and heard from within the heartbeat timeout (the registry's rule)
     * @param capacity    what the device's current job measured of it ({@code slowdown},
     *                    {@code upload_bytes_per_ms}), if anything yet
     */
    static ObjectNode device(DeviceRegistry.Device d, boolean alive, long nowMillis, Optional<JsonNode> capacity) {
        // The same view as the retained devices status on MQTT, plus what only a live answer can say.
        ObjectNode o = StatusJson.device(d, alive);
        o.set("slowdown", finite(capacity.map(c -> c.get("slowdown"))));
        o.set("upload_bytes_per_ms", finite(capacity.map(c -> c.get("upload_bytes_per_ms"))));
        o.put("last_seen_ms_ago", Math.max(0, nowMillis - d.lastSeenMillis()));
        o.put("joined_ms_ago", Math.max(0, nowMillis - d.joinedMillis()));
        return o;
    }

    /** A measured number, or null when there is none (or it is NaN, which JSON cannot hold). */
    private static JsonNode finite(Optional<JsonNode> value) {
        return value.filter(JsonNode::isNumber).filter(v -> Double.isFinite(v.asDouble()))
                .map(JsonNode.class::cast).orElse(MAPPER.nullNode());
    }

    /** One line of {@code GET /jobs}. */
    static ObjectNode jobSummary(KnownJobs.Job j) {
        ObjectNode s = j.status();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", j.id());
        o.set("model", field(s, "model"));
        o.put("state", j.state().json());
        o.set("queue_position", field(s, "queue_position"));
        o.set("term", field(s, "term"));
        o.set("micro_batches_done", field(s, "micro_batches_done"));
        o.set("last_event", field(s, "last_event"));
        if (j.error() != null) {
            o.put("error", j.error());
        }
        return o;
    }

    /**
     * {@code GET /jobs/{id}}: the status the job publishes on its retained MQTT topic, plus
     * {@code state} and, once ended, {@code error} or {@code result}.
     */
    static ObjectNode jobStatus(KnownJobs.Job j) {
        ObjectNode o = j.status().deepCopy();
        o.put("state", j.state().json());
        if (j.error() != null) {
            o.put("error", j.error());
        }
        if (j.result() != null) {
            o.set("result", j.result());
        }
        return o;
    }

    /** A job's current (or, once ended, last) plan: which device runs which units, as predicted. */
    static ObjectNode plan(KnownJobs.Job j) {
        ObjectNode s = j.status();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("job", j.id());
        o.put("state", j.state().json());
        o.set("term", field(s, "term"));
        o.set("predicted_samples_per_second", finite(Optional.ofNullable(s.get("predicted_samples_per_second"))));
        ArrayNode stages = o.putArray("stages");
        for (JsonNode st : s.path("stages")) {
            ObjectNode stage = stages.addObject();
            stage.set("stage", st.get("stage"));
            stage.set("device", st.get("device"));
            stage.set("from_unit", st.get("from"));
            stage.set("to_unit", st.get("to"));
            stage.set("predicted_compute_ms", finite(Optional.ofNullable(st.get("predicted_compute_ms"))));
            stage.set("predicted_send_ms", finite(Optional.ofNullable(st.get("predicted_send_ms"))));
        }
        return o;
    }

    /** A key of a status, or null if the status has none yet. */
    private static JsonNode field(ObjectNode status, String key) {
        JsonNode v = status.get(key);
        return v == null ? MAPPER.nullNode() : v;
    }

    static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("error", message);
    }

    static byte[] bytes(JsonNode json) {
        return PublishedJson.bytes(json);
    }
}
