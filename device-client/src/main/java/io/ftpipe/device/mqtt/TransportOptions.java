package io.ftpipe.device.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link MqttTransport} needs to connect.
 *
 * @param brokerUrl       {@code tcp://host:port}, or {@code ssl://host:port} for TLS
 * @param clientId        MQTT client id; a second connection with the same id takes the session over
 * @param username        null for anonymous
 * @param password        null when there is no password
 * @param lastWill        published by the broker if we vanish; null for none
 * @param maxPayloadBytes larger payloads are rejected; the caller chunks above it
 * @param connectTimeout  for the first connect and for subscribe/unsubscribe acknowledgements
 * @param publishTimeout  how long a publish may wait for a free window slot or a reconnect
 * @param truststore      for {@code ssl://}: the certificates to trust (JKS or PKCS#12); null for
 *                        the JVM's default CAs
 * @param truststorePassword the truststore's password; null for none
 */
public record TransportOptions(String brokerUrl, String clientId, String username, String password,
                               LastWill lastWill, int maxPayloadBytes, Duration connectTimeout,
                               Duration publishTimeout, Path truststore, String truststorePassword) {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

    public TransportOptions {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()
                || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (truststore != null && !isTls(brokerUrl)) {
            throw new IllegalArgumentException("a truststore only applies to ssl:// broker URLs, not " + brokerUrl);
        }
    }

    /** Plain TCP (no truststore). */
    public TransportOptions(String brokerUrl, String clientId, String username, String password, LastWill lastWill,
                            int maxPayloadBytes, Duration connectTimeout, Duration publishTimeout) {
        this(brokerUrl, clientId, username, password, lastWill, maxPayloadBytes, connectTimeout, publishTimeout,
                null, null);
    }

    /** True for {@code ssl://} URLs: the connection is TLS. */
    public static boolean isTls(String brokerUrl) {
        return brokerUrl.startsWith("ssl://");
    }

    /** Anonymous, no will, default payload limit, 10 s connect and 30 s publish timeouts. */
    public static TransportOptions defaults(String brokerUrl, String clientId) {
        return new TransportOptions(brokerUrl, clientId, null, null, null, DEFAULT_MAX_PAYLOAD_BYTES,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public TransportOptions withLastWill(LastWill will) {
        return new TransportOptions(brokerUrl, clientId, username, password, will, maxPayloadBytes,
                connectTimeout, publishTimeout, truststore, truststorePassword);
    }

    public TransportOptions withMaxPayloadBytes(int limit) {
        return new TransportOptions(brokerUrl, clientId, username, password, lastWill, limit,
                connectTimeout, publishTimeout, truststore, truststorePassword);
    }

    public TransportOptions withPublishTimeout(Duration timeout) {
        return new TransportOptions(brokerUrl, clientId, username, password, lastWill, maxPayloadBytes,
                connectTimeout, timeout, truststore, truststorePassword);
    }

    /** Credentials for the broker (null, null: anonymous). */
    public TransportOptions withCredentials(String user, String secret) {
        return new TransportOptions(brokerUrl, clientId, user, secret, lastWill, maxPayloadBytes, connectTimeout,
                publishTimeout, truststore, truststorePassword);
    }

    /** Certificates to trust on {@code ssl://} (null: the JVM's default CAs). */
    public TransportOptions withTruststore(Path store, String storePassword) {
        return new TransportOptions(brokerUrl, clientId, username, password, lastWill, maxPayloadBytes, connectTimeout,
                publishTimeout, store, storePassword);
    }

    /** Keeps the passwords out of logs. */
    @Override
    public String toString() {
        return "TransportOptions[brokerUrl=" + brokerUrl + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", lastWill="
                + (lastWill == null ? "none" : lastWill.topic()) + ", maxPayloadBytes=" + maxPayloadBytes
                + ", connectTimeout=" + connectTimeout + ", publishTimeout=" + publishTimeout + ", truststore="
                + (truststore == null ? "none" : truststore) + "]";
    }
}
