package io.ftpipe.broker.mqtt;

import io.ftpipe.protocol.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CentralTopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "ftpipe/v1/devices/d1/hello",
            "ftpipe/v1/devices/d1/heartbeat",
            "ftpipe/v1/devices/d1/reply",
            "ftpipe/v1/jobs/j1/progress",
    })
    void centralSees(String topic) {
        assertTrue(CentralTopics.isForCentral(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ftpipe/v1/jobs/j1/stages/0/forward",
            "ftpipe/v1/jobs/j1/stages/1/backward",
            "ftpipe/v1/jobs/j1/stages/2/labels",
            "ftpipe/v1/jobs/j1/status",
            "ftpipe/v1/jobs/j1/plan",
            "ftpipe/v1/status/devices",
            "ftpipe/v1/events/devices",
            "ftpipe/v1/jobs/j1/stages/0/progress",
            "ftpipe/v1/jobs//progress",
            "ftpipe/v1/jobs/progress",
            "ftpipe/v1/devices",
            "ftpipe/v2/devices/d1/hello",
            "sensors/temperature",
    })
    void centralIgnores(String topic) {
        assertFalse(CentralTopics.isForCentral(topic));
    }

    @Test
    void topicBuildersAgree() {
        assertTrue(CentralTopics.isForCentral(Topics.device("gw-3", Topics.HEARTBEAT)));
        assertTrue(CentralTopics.isForCentral(Topics.job("job.7", Topics.PROGRESS)));
        assertFalse(CentralTopics.isForCentral(Topics.stage("job.7", 1, Topics.FORWARD)));
    }

    @Test
    void payloadCopyWorksOnReadOnlyBuffersAndLeavesThemAlone() {
        ByteBuffer readOnly = ByteBuffer.wrap(new byte[]{9, 1, 2, 3}, 1, 3).slice().asReadOnlyBuffer();
        byte[] copy = DeviceMessageInterceptor.copy(readOnly, readOnly.remaining());
        assertArrayEquals(new byte[]{1, 2, 3}, copy);
        assertEquals(0, readOnly.position());
        assertEquals(0, DeviceMessageInterceptor.copy(null, 0).length);
    }
}
