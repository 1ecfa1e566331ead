package io.ftpipe.centralclient.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * What a CONNACK told the central node: whether the broker still had its session (subscriptions
 * and queued messages), and how many unacknowledged QoS 1 publishes it takes.
 */
record ConnAck(boolean sessionPresent, int receiveMaximum) {
    /** MQTT 5's value when the CONNACK carries none. */
    static final int DEFAULT_RECEIVE_MAXIMUM = 65535;

    static ConnAck of(IMqttToken token) {
        MqttProperties p = token.getResponseProperties();
        Integer max = p == null ? null : p.getReceiveMaximum();
        return new ConnAck(token.getSessionPresent(), max == null || max <= 0 ? DEFAULT_RECEIVE_MAXIMUM : max);
    }
}
