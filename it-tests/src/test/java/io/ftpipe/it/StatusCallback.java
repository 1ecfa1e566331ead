package io.ftpipe.it;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Hands every message's payload to {@code onMessage}; a test's MQTT client needs nothing else. */
final class StatusCallback implements MqttCallback {
    interface Payloads {
        void accept(byte[] payload) throws Exception;
    }

    private final Payloads onMessage;

    StatusCallback(Payloads onMessage) {
        this.onMessage = onMessage;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        onMessage.accept(message.getPayload());
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
