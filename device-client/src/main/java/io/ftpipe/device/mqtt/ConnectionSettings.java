package io.ftpipe.device.mqtt;

import io.ftpipe.protocol.net.NoDelaySocketFactory;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * What the transport asks of each connection: a clean session, Paho's automatic reconnect, a
 * keep-alive, TLS or TCP_NODELAY sockets, the credentials and the last will of its options.
 */
final class ConnectionSettings {
    /** The broker notices a silent device, and publishes its will, within 1.5 × this. */
    private static final int KEEP_ALIVE_SECONDS = 10;
    /**
     * Paho 1.2.5 ignores {@code setAutomaticReconnectDelay}; it doubles a delay starting at 1 s
     * while the delay is below this bound, so 1 s × a power of two makes it the exact cap: after
     * the first half minute of fast retries ({@link AutoReconnectClient}), a device still tries once
     * a second, which costs it nothing worth saving.
     */
    private static final int MAX_RECONNECT_DELAY_MILLIS = 1000;

    private ConnectionSettings() {
    }

    static MqttConnectionOptions of(TransportOptions options) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MILLIS);
        o.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        o.setConnectionTimeout((int) Math.max(1, options.connectTimeout().toSeconds()));
        if (TransportOptions.isTls(options.brokerUrl())) {
            o.setSocketFactory(TlsTrust.socketFactory(options.truststore(), options.truststorePassword()));
            // Paho's default, stated: the certificate must name the host in the broker URL.
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        if (options.username() != null) {
            o.setUserName(options.username());
        }
        if (options.password() != null) {
            o.setPassword(options.password().getBytes(StandardCharsets.UTF_8));
        }
        LastWill will = options.lastWill();
        if (will != null) {
            MqttMessage message = new MqttMessage(will.payload(), will.qos(), will.retained(), new MqttProperties());
            o.setWill(will.topic(), message);
        }
        return o;
    }
}
