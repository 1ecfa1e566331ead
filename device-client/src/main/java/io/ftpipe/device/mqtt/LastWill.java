package io.ftpipe.device.mqtt;

import java.util.Objects;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * The message the broker publishes for us if our connection dies without a clean DISCONNECT:
 * the central node's fastest signal that a device is gone.
 */
public record LastWill(String topic, byte[] payload, int qos, boolean retained) {
    public LastWill {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        MqttTopicValidator.validate(topic, false, false);
        Qos.check(qos);
    }
}
