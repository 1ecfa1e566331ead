package io.ftpipe.broker.coap;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobStopResourceTest {

    private static String reason(String body) throws BadRequest {
        return JobStopResource.reason(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void reasonIsOptional() throws Exception {
        assertEquals(JobStopResource.DEFAULT_REASON, reason(""));
        assertEquals(JobStopResource.DEFAULT_REASON, reason("{}"));
        assertEquals("maintenance window", reason("{\"reason\": \"maintenance window\"}"));
    }

    @Test
    void badBodiesAreRefused() {
        assertTrue(assertThrows(BadRequest.class, () -> reason("{")).getMessage().contains("not valid JSON"));
        assertTrue(assertThrows(BadRequest.class, () -> reason("{\"why\": \"x\"}")).getMessage()
                .contains("unknown key 'why'"));
        assertTrue(assertThrows(BadRequest.class, () -> reason("{\"reason\": 5}")).getMessage()
                .contains("reason must be a non-empty string"));
    }
}
