package io.ftpipe.device.mqtt;

import java.util.Set;
import org.eclipse.paho.mqttv5.client.MqttClientException;

/** How the transport reads MQTT's and Paho's reason codes. */
final class ReasonCodes {
    /** Paho refusals that clear by themselves: window race, or a disconnect not yet reported. */
    private static final Set<Integer> PASSING = Set.of(
            (int) MqttClientException.REASON_CODE_MAX_INFLIGHT,
            (int) MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
            (int) MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
            (int) MqttClientException.REASON_CODE_CONNECTION_LOST);
    private static final int FIRST_FAILURE = 0x80;

    private ReasonCodes() {
    }

    /** A Paho refusal worth retrying, or to leave to the reconnect. */
    static boolean passing(int paho) {
        return PASSING.contains(paho);
    }

    /** An MQTT 5 reason code (in a SUBACK, a PUBACK) that says no. */
    static boolean failure(int mqtt) {
        return mqtt >= FIRST_FAILURE;
    }

    /** {@code 0x87}, as the MQTT 5 specification writes them. */
    static String hex(int code) {
        return "0x" + Integer.toHexString(code);
    }
}
