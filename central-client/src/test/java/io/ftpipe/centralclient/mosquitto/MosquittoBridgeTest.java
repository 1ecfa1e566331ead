package io.ftpipe.centralclient.mosquitto;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MosquittoBridgeTest {

    @Test
    void bridgesEveryFtpipeTopicBothWaysOverMqtt5WithAKeptSession() {
        List<String> lines = MosquittoBridge.anonymous("site-a", "10.0.0.1", 1883).lines();
        assertEquals("connection site-a", lines.get(0), "a bridge section starts with its connection");
        assertTrue(lines.contains("address 10.0.0.1:1883"), lines.toString());
        assertTrue(lines.contains("bridge_protocol_version mqttv50"), lines.toString());
        assertTrue(lines.contains("cleansession false"), lines.toString());
        assertTrue(lines.contains("topic ftpipe/v1/# both 1"), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("remote_username")), "anonymous: " + lines);
    }

    @Test
    void anAccountOnTheCoreIsUsedWhenGiven() {
        List<String> lines = new MosquittoBridge("site-a", "core", 8883, "bridge-a", "secret").lines();
        assertTrue(lines.contains("remote_username bridge-a") && lines.contains("remote_password secret"),
                lines.toString());
    }

    @Test
    void refusesWhatMosquittoWouldNotRead() {
        assertThrows(IllegalArgumentException.class, () -> MosquittoBridge.anonymous("site a", "core", 1883));
        assertThrows(IllegalArgumentException.class, () -> MosquittoBridge.anonymous("site", "core", 0));
        assertThrows(IllegalArgumentException.class, () -> new MosquittoBridge("site", "core", 1883, "u", null));
    }
}
