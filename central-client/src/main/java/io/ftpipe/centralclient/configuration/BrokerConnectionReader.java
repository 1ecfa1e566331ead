package io.ftpipe.centralclient.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.configuration.InvalidConfigurationException;
import io.ftpipe.broker.json.JsonBinding;
import io.ftpipe.broker.json.JsonBindingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a client-mode central node's broker connection: a JSON file of {@link BrokerConnectionFile}'s
 * keys (optional), over which the command's flags win. The one place it is parsed and checked.
 * Relative paths in the file resolve against the file's folder, those of flags against the working
 * directory.
 */
public final class BrokerConnectionReader {
    private BrokerConnectionReader() {
    }

    /** The keys of {@code file}, with its relative paths made absolute. */
    public static BrokerConnectionFile read(Path file) throws InvalidConfigurationException {
        Path absolute = file.toAbsolutePath();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot read " + absolute + ": " + e, e);
        }
        return parse(text, absolute.getParent(), absolute.toString());
    }

    /** {@code json}'s keys; relative paths resolve against {@code baseDir}; {@code source} names it in errors. */
    public static BrokerConnectionFile parse(String json, Path baseDir, String source)
            throws InvalidConfigurationException {
        try {
            JsonNode tree = JsonBinding.parse(json);
            if (!tree.isObject()) {
                throw new InvalidConfigurationException(source + " must hold a JSON object of settings");
            }
            BrokerConnectionFile f = JsonBinding.bind(tree, BrokerConnectionFile.class);
            return new BrokerConnectionFile(f.brokerUrl(), f.clientId(), f.username(), f.password(),
                    resolve(source, "truststore", f.truststore(), baseDir), f.truststorePassword(),
                    resolve(source, "keystore", f.keystore(), baseDir), f.keystorePassword(),
                    f.sessionExpirySeconds(), f.keepAliveSeconds(), f.connectTimeoutSeconds(), f.dynamicSecurity());
        } catch (JsonBindingException e) {
            String separator = e.kind() == JsonBindingException.Kind.SYNTAX ? " " : ": ";
            throw new InvalidConfigurationException(source + separator + e.getMessage(), e);
        }
    }

    /**
     * The connection the keys describe, defaults filled in and checked.
     *
     * @param source names where the keys came from in errors
     */
    public static BrokerConnection connection(BrokerConnectionFile f, String source)
            throws InvalidConfigurationException {
        try {
            return new BrokerConnection(f.brokerUrl(),
                    Objects.requireNonNullElse(f.clientId(), BrokerConnection.DEFAULT_CLIENT_ID),
                    f.username(), f.password(), path(f.truststore()), f.truststorePassword(), path(f.keystore()),
                    f.keystorePassword(),
                    Objects.requireNonNullElse(f.sessionExpirySeconds(), BrokerConnection.DEFAULT_SESSION_EXPIRY_SECONDS),
                    Objects.requireNonNullElse(f.keepAliveSeconds(), BrokerConnection.DEFAULT_KEEP_ALIVE_SECONDS),
                    Objects.requireNonNullElse(f.connectTimeoutSeconds(),
                            BrokerConnection.DEFAULT_CONNECT_TIMEOUT_SECONDS),
                    Boolean.TRUE.equals(f.dynamicSecurity()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(source + ": " + e.getMessage(), e);
        }
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static String resolve(String source, String key, String value, Path baseDir)
            throws InvalidConfigurationException {
        if (value == null) {
            return null;
        }
        try {
            return baseDir.resolve(value).normalize().toString();
        } catch (InvalidPathException e) {
            throw new InvalidConfigurationException(source + ": " + key + " is not a valid path: " + e.getMessage(), e);
        }
    }
}
