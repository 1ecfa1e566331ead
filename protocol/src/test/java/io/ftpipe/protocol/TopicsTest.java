package io.ftpipe.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TopicsTest {
    @Test
    void topicsAndTheirParts() {
        assertEquals("ftpipe/v1/devices/gw-7/hello", Topics.device("gw-7", Topics.HELLO));
        assertEquals("ftpipe/v1/jobs/j1/stages/2/forward", Topics.stage("j1", 2, Topics.FORWARD));
        assertEquals("ftpipe/v1/jobs/j1/progress", Topics.job("j1", Topics.PROGRESS));
        assertEquals("gw-7", Topics.deviceOf("ftpipe/v1/devices/gw-7/heartbeat"));
        assertNull(Topics.deviceOf("ftpipe/v1/jobs/j1/progress"));
        assertEquals("heartbeat", Topics.leaf("ftpipe/v1/devices/gw-7/heartbeat"));
        assertEquals("ftpipe/v1/jobs/j1/plan", Topics.job("j1", Topics.PLAN));
    }

    /** Status and event topics must not look like device topics, or the central node would read its own output. */
    @Test
    void statusAndEventTopicsAreNotDeviceTopics() {
        assertEquals("ftpipe/v1/status/devices", Topics.DEVICES_STATUS);
        assertEquals("ftpipe/v1/events/devices", Topics.DEVICE_EVENTS);
        assertNull(Topics.deviceOf(Topics.DEVICES_STATUS));
        assertNull(Topics.deviceOf(Topics.DEVICE_EVENTS));
    }

    @Test
    void idsCannotInjectTopicLevelsOrWildcards() {
        for (String bad : new String[]{"a/b", "+", "#", "", "x y"}) {
            assertThrows(IllegalArgumentException.class, () -> Topics.device(bad, Topics.HELLO), bad);
        }
    }
}
