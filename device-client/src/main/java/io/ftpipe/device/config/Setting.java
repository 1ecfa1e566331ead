package io.ftpipe.device.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every configuration key: its name in the JSON file (and, in kebab case, as a command-line
 * flag), its environment variable if it has one, and its default.
 */
enum Setting {
    ID("id", "FTPIPE_DEVICE_ID", null),
    BROKER_URL("brokerUrl", "FTPIPE_BROKER_URL", "tcp://localhost:1883"),
    USERNAME("username", "FTPIPE_USERNAME", null),
    PASSWORD("password", "FTPIPE_PASSWORD", null),
    TRUSTSTORE("truststore", "FTPIPE_TRUSTSTORE", null),
    TRUSTSTORE_PASSWORD("truststorePassword", "FTPIPE_TRUSTSTORE_PASSWORD", null),
    THREADS("threads", "FTPIPE_THREADS", "1"),
    SLOWDOWN("slowdown", "FTPIPE_SLOWDOWN", "1"),
    HEARTBEAT_MILLIS("heartbeatMillis", "FTPIPE_HEARTBEAT_MS", "1000"),
    STATE_DIR("stateDir", "FTPIPE_STATE_DIR", "/var/lib/ftpipe"),
    MAX_PAYLOAD_BYTES("maxPayloadBytes", null, Integer.toString(64 * 1024 * 1024)),
    CONNECT_TIMEOUT_SECONDS("connectTimeoutSeconds", null, "10"),
    PUBLISH_TIMEOUT_SECONDS("publishTimeoutSeconds", null, "30");

    final String key;
    /** Null when the setting cannot come from the environment. */
    final String envVar;
    /** Null when there is none, or (id) it is computed. */
    final String defaultValue;

    Setting(String key, String envVar, String defaultValue) {
        this.key = key;
        this.envVar = envVar;
        this.defaultValue = defaultValue;
    }

    /** {@code brokerUrl} becomes {@code broker-url}. */
    String flag() {
        return key.replaceAll("([A-Z])", "-$1").toLowerCase();
    }

    /** By JSON key only, as in the file. */
    static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** Accepts the JSON key, the flag name, or the flag with its leading dashes. */
    static Optional<Setting> byName(String name) {
        String bare = name.startsWith("--") ? name.substring(2) : name;
        return Arrays.stream(values()).filter(s -> s.key.equals(bare) || s.flag().equals(bare)).findFirst();
    }

    static String knownKeys() {
        return String.join(", ", Arrays.stream(values()).map(s -> s.key).toList());
    }
}
