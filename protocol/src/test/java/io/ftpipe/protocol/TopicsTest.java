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
    }

    @Test
    void idsCannotInjectTopicLevelsOrWildcards() {
        for (String bad : new String[]{"a/b", "+", "#", "", "x y"}) {
            assertThrows(IllegalArgumentException.class, () -> Topics.device(bad, Topics.HELLO), bad);
        }
    }
}
