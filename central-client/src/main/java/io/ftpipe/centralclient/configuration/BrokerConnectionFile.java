package io.ftpipe.centralclient.configuration;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The broker connection of a client-mode central node as written (a JSON file, or the command's
 * flags), bound by broker-extension's {@link io.ftpipe.broker.json.JsonBinding}; absent keys are
 * null. {@link BrokerConnectionReader} merges and checks it into a {@link BrokerConnection}.
 */
public record BrokerConnectionFile(
        @JsonPropertyDescription(URL) String brokerUrl,
        @JsonPropertyDescription(TEXT) String clientId,
        @JsonPropertyDescription(TEXT) String username,
        @JsonPropertyDescription(TEXT) String password,
        @JsonPropertyDescription(PATH) String truststore,
        @JsonPropertyDescription(TEXT) String truststorePassword,
        @JsonPropertyDescription(PATH) String keystore,
        @JsonPropertyDescription(TEXT) String keystorePassword,
        Long sessionExpirySeconds,
        Integer keepAliveSeconds,
        Integer connectTimeoutSeconds,
        Boolean dynamicSecurity) {

    static final String URL = "a broker URL like tcp://host:1883 or ssl://host:8883";
    static final String TEXT = "a non-empty string";
    static final String PATH = "a non-empty path string";

    /** Nothing given. */
    public static final BrokerConnectionFile EMPTY = new BrokerConnectionFile(null, null, null, null, null, null, null,
            null, null, null, null, null);

    /** Each key of {@code over} that is given, else this one's. */
    public BrokerConnectionFile overriddenBy(BrokerConnectionFile over) {
        return new BrokerConnectionFile(
                either(over.brokerUrl, brokerUrl), either(over.clientId, clientId), either(over.username, username),
                either(over.password, password), either(over.truststore, truststore),
                either(over.truststorePassword, truststorePassword), either(over.keystore, keystore),
                either(over.keystorePassword, keystorePassword),
                either(over.sessionExpirySeconds, sessionExpirySeconds), either(over.keepAliveSeconds, keepAliveSeconds),
                either(over.connectTimeoutSeconds, connectTimeoutSeconds),
                either(over.dynamicSecurity, dynamicSecurity));
    }

    private static <T> T either(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
