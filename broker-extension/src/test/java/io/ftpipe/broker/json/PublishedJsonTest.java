package io.ftpipe.broker.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.central.JobReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PublishedJsonTest {
    @Test
    void recordComponentsBecomeSnakeCaseWithMillisecondsAsMs() throws Exception {
        var status = Map.of(
                "stages", List.of(new JobReport.Stage(0, "gw-1", 0, 3, 1.5, 2.5)),
                "capacities", Map.of("gw-1", new JobReport.Capacity(2, 300)),
                "recoveries", List.of(new JobReport.Recovery(2, 1.5, 2.5, List.of("gw-2"), "lost", 40, 3, 7,
                        Map.of(0, "live"))));
        JsonNode json = PublishedJson.MAPPER.readTree(PublishedJson.bytes(status));
        assertEquals(1.5, json.at("/stages/0/predicted_compute_ms").asDouble());
        assertEquals(2.5, json.at("/stages/0/predicted_send_ms").asDouble());
        assertEquals(300, json.at("/capacities/gw-1/upload_bytes_per_ms").asDouble(), "device ids stay as they are");
        assertEquals(1.5, json.at("/recoveries/0/detected_at_seconds").asDouble());
        assertEquals(40, json.at("/recoveries/0/resumed_from").asLong());
        assertEquals(7, json.at("/recoveries/0/iterations_lost").asLong());
    }

    @Test
    void onlyWholeMillisWordsBecomeMs() {
        JsonKeys keys = new JsonKeys();
        assertEquals("compute_ms", keys.translate("computeMillis"));
        assertEquals("upload_bytes_per_ms", keys.translate("uploadBytesPerMilli"));
        assertEquals("millisecond_budget", keys.translate("millisecondBudget"));
        assertEquals("seconds", keys.translate("seconds"));
    }
}
