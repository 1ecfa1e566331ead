package io.ftpipe.centralclient.mqtt;

import io.ftpipe.broker.mqtt.CentralTopics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CentralSubscriptionsTest {

    @Test
    void theSenderOfADeviceTopicIsTheDeviceItNames() {
        assertEquals("gw-1", CentralSubscriptions.sender("ftpipe/v1/devices/gw-1/hello"));
        assertEquals("gw-1", CentralSubscriptions.sender("ftpipe/v1/devices/gw-1/heartbeat"));
        assertEquals("gw-1", CentralSubscriptions.sender("ftpipe/v1/devices/gw-1/reply"));
        assertEquals("ftpipe/v1/jobs/tiny/progress", CentralSubscriptions.sender("ftpipe/v1/jobs/tiny/progress"));
    }

    @Test
    void topicsTheCentralNodeDoesNotTakeHaveNoSender() {
        assertNull(CentralSubscriptions.sender("ftpipe/v1/devices/gw-1/cmd"), "its own commands");
        assertNull(CentralSubscriptions.sender("ftpipe/v1/devices/gw-1/hello/extra"));
        assertNull(CentralSubscriptions.sender("ftpipe/v1/jobs/tiny/stages/0/forward"));
        assertNull(CentralSubscriptions.sender("ftpipe/v1/devices/g w/hello"), "no topic level id");
        assertNull(CentralSubscriptions.sender("$SYS/broker/version"));
    }

    @Test
    void itSubscribesToWhatTheExtensionHandsItsNodeButItsOwnCommands() {
        for (String filter : CentralSubscriptions.FILTERS) {
            String topic = filter.replace("+", "x");
            assertTrue(CentralTopics.isForCentral(topic), topic);
        }
        assertEquals(4, CentralSubscriptions.FILTERS.size());
    }
}
