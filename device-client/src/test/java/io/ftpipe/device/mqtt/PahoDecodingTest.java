package io.ftpipe.device.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

class PahoDecodingTest {

    @Test
    void pahoLoadsTheBulkReadingStream() {
        assertTrue(PahoDecoding.bulk(), "device-client's CountingInputStream must come before Paho's jar");
    }

    /** Paho counts the bytes it reads to find where properties end and the payload starts. */
    @Test
    void aLargePublishWithPropertiesDecodesToWhatWasSent() throws Exception {
        byte[] payload = new byte[1_600_000];
        new Random(7).nextBytes(payload);
        MqttProperties properties = new MqttProperties();
        properties.setMessageExpiryInterval(30L);
        properties.setUserProperties(List.of(new UserProperty("term", "3"), new UserProperty("stage", "1")));
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        MqttPublish sent = new MqttPublish("ftpipe/jobs/j/stages/1/forward", message, properties);
        sent.setMessageId(42);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(sent.getHeader());
        wire.write(sent.getPayload());

        MqttPublish got = (MqttPublish) MqttWireMessage.createWireMessage(wire.toByteArray());

        assertEquals("ftpipe/jobs/j/stages/1/forward", got.getTopicName());
        assertEquals(42, got.getMessageId());
        assertEquals(30L, got.getProperties().getMessageExpiryInterval());
        assertEquals(List.of(new UserProperty("term", "3"), new UserProperty("stage", "1")),
                got.getProperties().getUserProperties());
        assertArrayEquals(payload, got.getMessage().getPayload());
    }
}
