package io.ftpipe.centralclient.mqtt;

import io.ftpipe.protocol.net.NoDelaySocketFactory;
import io.ftpipe.centralclient.CentralPresence;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;

/**
 * What the central node asks of every connection: a persistent session (no clean start, the
 * configured session expiry), so that the broker keeps its subscriptions and queues the devices'
 * QoS 1 messages while it is away; a retained Last Will on {@link CentralPresence#TOPIC}; the
 * credentials; TLS or TCP_NODELAY sockets. Reconnecting is the connection's own
 * ({@link CentralConnection}), not Paho's.
 */
final class ConnectOptions {
    private ConnectOptions() {
    }

    static MqttConnectionOptions of(BrokerConnection c, long sinceMillis) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(c.sessionExpirySeconds());
        o.setAutomaticReconnect(false);
        MqttMessage will = new MqttMessage(CentralPresence.lastWill(c.clientId(), sinceMillis), 1, true,
                new MqttProperties());
        o.setWill(CentralPresence.TOPIC, will);
        o.setKeepAliveInterval(c.keepAliveSeconds());
        o.setConnectionTimeout(c.connectTimeoutSeconds());
        if (c.tls()) {
            o.setSocketFactory(TlsContext.socketFactory(c));
            // Paho's default, stated: the certificate must name the host of the broker URL.
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        if (c.username() != null) {
            o.setUserName(c.username());
        }
        if (c.password() != null) {
            o.setPassword(c.password().getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }
}
