package io.ftpipe.centralclient.mqtt;

import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;

/** Paho's and MQTT 5's reason codes, as the connection reads them. */
final class PahoCodes {
    /** MQTT 5: codes from 0x80 on are failures. */
    static final int FIRST_FAILURE = 0x80;

    private PahoCodes() {
    }

    /**
     * A publish Paho refused for a reason that passes: its in-flight window is full, or the
     * connection is going or gone (the next one takes the publish).
     */
    static boolean passing(int pahoCode) {
        return pahoCode == MqttClientException.REASON_CODE_MAX_INFLIGHT
                || pahoCode == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                || pahoCode == MqttClientException.REASON_CODE_CLIENT_DISCONNECTING
                || pahoCode == MqttClientException.REASON_CODE_CONNECTION_LOST;
    }

    static String hex(int code) {
        return String.format("0x%02X", code);
    }

    static String describe(MqttDisconnectResponse r) {
        if (r == null) {
            return "no reason given";
        }
        String reason = r.getReasonString() == null ? "" : " " + r.getReasonString();
        String cause = r.getException() == null ? "" : " (" + r.getException().getMessage() + ")";
        return "reason " + hex(r.getReturnCode()) + reason + cause;
    }
}
