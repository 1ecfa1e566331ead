package io.ftpipe.device.mqtt;

import io.ftpipe.protocol.net.NoDelaySocketFactory;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * What the transport asks of each connection: a session kept across reconnects, Paho's automatic
 * reconnect, a keep-alive, TLS or TCP_NODELAY sockets, the credentials and the last will of its
 * options.
 *
 * <p>Sessions: the first connect of a process starts clean (a restarted device has nothing to
 * resume, and the central node takes its hello as a restart anyway). Reconnects then resume the
 * session ({@link #resumingSessions}), so the QoS 1 messages the broker queued for the device
 * while it was away, and those it had sent but not had acknowledged, are delivered rather than
 * dropped.
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
    /**
     * How long the broker keeps a disconnected device's session. Longer than a broker restart
     * plus the fast-retry window of {@link AutoReconnectClient}, after which a device still retries
     * every second; a device away longer than this is failed by the central node long before.
     */
    static final long SESSION_EXPIRY_SECONDS = 120;

    private ConnectionSettings() {
    }

    static MqttConnectionOptions of(TransportOptions options) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
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

    /**
     * After the first connect: Paho reconnects with the options of the last connect, so from now
     * on they resume the session the first one started.
     */
    static void resumingSessions(MqttConnectionOptions connected) {
        connected.setCleanStart(false);
    }
}
