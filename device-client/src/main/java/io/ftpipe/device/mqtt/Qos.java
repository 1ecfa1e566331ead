package io.ftpipe.device.mqtt;

/** MQTT quality-of-service levels. */
final class Qos {
    private Qos() {
    }

    static int check(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, got " + qos);
        }
        return qos;
    }
}
