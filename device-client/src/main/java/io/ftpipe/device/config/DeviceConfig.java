package io.ftpipe.device.config;

import io.ftpipe.device.mqtt.LastWill;
import io.ftpipe.device.mqtt.TransportOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A device's settings, validated. Built only by {@link DeviceConfigLoader}.
 *
 * @param id                    device id and MQTT client id; a topic level
 * @param brokerUrl             {@code tcp://host:port}, or {@code ssl://host:port} for TLS
 * @param username              null for anonymous
 * @param password              null for none
 * @param truststore            for {@code ssl://}: the certificates to trust; null for the JVM's CAs
 * @param truststorePassword    null for none
 * @param threads               ONNX Runtime intra-op threads
 * @param slowdown              emulated heterogeneity: compute takes this many times longer (>= 1)
 * @param heartbeatMillis       period of heartbeats to the central node
 * @param stateDir              where the device keeps state across restarts
 * @param maxPayloadBytes       largest MQTT payload; larger messages are chunked
 * @param connectTimeoutSeconds first connect, subscribe and unsubscribe
 * @param publishTimeoutSeconds how long a publish may wait for window space or a reconnect
 */
public record DeviceConfig(String id, String brokerUrl, String username, String password, Path truststore,
                           String truststorePassword, int threads,
                           double slowdown, long heartbeatMillis, Path stateDir, int maxPayloadBytes,
                           int connectTimeoutSeconds, int publishTimeoutSeconds) {

    /** The transport settings for this device, with the given last will. */
    public TransportOptions transportOptions(LastWill will) {
        return new TransportOptions(brokerUrl, id, username, password, will, maxPayloadBytes,
                Duration.ofSeconds(connectTimeoutSeconds), Duration.ofSeconds(publishTimeoutSeconds), truststore,
                truststorePassword);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "DeviceConfig[id=" + id + ", brokerUrl=" + brokerUrl + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", truststore=" + (truststore == null ? "none" : truststore)
                + ", truststorePassword=" + (truststorePassword == null ? "none" : "***") + ", threads=" + threads + ", slowdown=" + slowdown
                + ", heartbeatMillis=" + heartbeatMillis + ", stateDir=" + stateDir + ", maxPayloadBytes="
                + maxPayloadBytes + ", connectTimeoutSeconds=" + connectTimeoutSeconds
                + ", publishTimeoutSeconds=" + publishTimeoutSeconds + "]";
    }
}
