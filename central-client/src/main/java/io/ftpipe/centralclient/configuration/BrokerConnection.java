package io.ftpipe.centralclient.configuration;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * How a client-mode central node reaches its broker, checked. The session is persistent
 * ({@code sessionExpirySeconds} after a connection ends, the broker keeps the node's subscriptions
 * and queues what devices send), so a restarted node loses nothing sent to it meanwhile.
 *
 * @param username           null to connect without credentials
 * @param password           null for none
 * @param truststore         for {@code ssl://}: the certificates that sign the broker's; null for the
 *                           JVM's default CAs
 * @param keystore           for {@code ssl://}: the node's own key and certificate, when the broker
 *                           asks for client certificates; null for none
 * @param keepAliveSeconds   the broker publishes the node's Last Will within 1.5 times this after
 *                           the node falls silent
 * @param dynamicSecurity    the broker runs Mosquitto's dynamic-security plugin with the node's user
 *                           as its administrator ({@code ftpipe mosquitto-config --dynamic-security}):
 *                           the node narrows each device to the topics of its current stages
 */
public record BrokerConnection(String brokerUrl, String clientId, String username, String password,
                               Path truststore, String truststorePassword, Path keystore, String keystorePassword,
                               long sessionExpirySeconds, int keepAliveSeconds, int connectTimeoutSeconds,
                               boolean dynamicSecurity) {

    public static final String DEFAULT_CLIENT_ID = "ftpipe-central";
    /** An hour: a central node restarted by its service manager, or upgraded, is back well within it. */
    public static final long DEFAULT_SESSION_EXPIRY_SECONDS = 3600;
    public static final int DEFAULT_KEEP_ALIVE_SECONDS = 10;
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    /** MQTT 5's largest session expiry interval (a four-byte integer). */
    static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    public BrokerConnection {
        if (brokerUrl == null) {
            throw new IllegalArgumentException("brokerUrl is missing: give the broker as tcp://host:port or "
                    + "ssl://host:port");
        }
        checkUrl(brokerUrl);
        if (clientId == null || clientId.isEmpty() || clientId.length() > 65535) {
            throw new IllegalArgumentException("clientId must be 1-65535 characters, got '" + clientId + "'");
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("password is given without a username");
        }
        if (!isTls(brokerUrl) && (truststore != null || keystore != null)) {
            throw new IllegalArgumentException("truststore and keystore need an ssl:// brokerUrl, got " + brokerUrl);
        }
        if (sessionExpirySeconds < 1 || sessionExpirySeconds > MAX_SESSION_EXPIRY_SECONDS) {
            throw new IllegalArgumentException("sessionExpirySeconds must be 1 - " + MAX_SESSION_EXPIRY_SECONDS
                    + " (a persistent session is what lets a restarted central node miss nothing), got "
                    + sessionExpirySeconds);
        }
        if (keepAliveSeconds < 1 || keepAliveSeconds > 65535) {
            throw new IllegalArgumentException("keepAliveSeconds must be 1 - 65535, got " + keepAliveSeconds);
        }
        if (connectTimeoutSeconds < 1 || connectTimeoutSeconds > 3600) {
            throw new IllegalArgumentException("connectTimeoutSeconds must be 1 - 3600, got " + connectTimeoutSeconds);
        }
        if (dynamicSecurity && username == null) {
            throw new IllegalArgumentException("dynamicSecurity needs a username: the dynamic-security plugin takes "
                    + "commands from its administrator's user only");
        }
    }

    /** Without the dynamic-security plugin. */
    public BrokerConnection(String brokerUrl, String clientId, String username, String password, Path truststore,
                            String truststorePassword, Path keystore, String keystorePassword,
                            long sessionExpirySeconds, int keepAliveSeconds, int connectTimeoutSeconds) {
        this(brokerUrl, clientId, username, password, truststore, truststorePassword, keystore, keystorePassword,
                sessionExpirySeconds, keepAliveSeconds, connectTimeoutSeconds, false);
    }

    /** The same connection, with the dynamic-security plugin driven or not. */
    public BrokerConnection withDynamicSecurity(boolean on) {
        return new BrokerConnection(brokerUrl, clientId, username, password, truststore, truststorePassword, keystore,
                keystorePassword, sessionExpirySeconds, keepAliveSeconds, connectTimeoutSeconds, on);
    }

    public boolean tls() {
        return isTls(brokerUrl);
    }

    static boolean isTls(String url) {
        return url.startsWith("ssl://");
    }

    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("brokerUrl '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
            throw new IllegalArgumentException("brokerUrl must start with tcp:// or ssl://, got '" + url + "'");
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("brokerUrl must name a host and a port, like tcp://host:1883, got '"
                    + url + "'");
        }
    }

    /** For logs: never the passwords. */
    @Override
    public String toString() {
        return clientId + "@" + brokerUrl + (username == null ? "" : " as " + username)
                + (keystore == null ? "" : " with a client certificate") + ", session expiry " + sessionExpirySeconds
                + " s" + (dynamicSecurity ? ", narrowing devices through the dynamic-security plugin" : "");
    }
}
