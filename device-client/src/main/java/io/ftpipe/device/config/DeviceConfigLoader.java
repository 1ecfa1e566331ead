package io.ftpipe.device.config;

import io.ftpipe.protocol.Topics;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one place device settings are read. Later layers win: defaults, then the JSON file, then
 * environment variables ({@code FTPIPE_*}), then explicit overrides (command-line flags).
 * Every value is validated, and an error names where the value came from and how to fix it.
 */
public final class DeviceConfigLoader {
    /** Largest MQTT remaining length; HiveMQ's default packet limit is just above it. */
    private static final int MQTT_MAX_PAYLOAD = 268_435_455;
    private static final String FALLBACK_ID = "device";

    /** A raw setting and where it came from. */
    private record Value(String text, String origin, String fix) {
    }

    private final Map<String, String> env;
    private final Supplier<String> hostname;

    /**
     * @param env      the environment to read {@code FTPIPE_*} variables from
     * @param hostname source of the default device id
     */
    public DeviceConfigLoader(Map<String, String> env, Supplier<String> hostname) {
        this.env = Objects.requireNonNull(env, "env");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
    }

    /** Reads this process's environment and host name. */
    public static DeviceConfigLoader fromSystem() {
        return new DeviceConfigLoader(System.getenv(), DeviceConfigLoader::localHostname);
    }

    /**
     * @param file      JSON file, or null for none
     * @param overrides setting name (JSON key, or flag name with or without {@code --}) to value
     * @throws ConfigException naming the bad key, its origin and the fix
     */
    public DeviceConfig load(Path file, Map<String, String> overrides) {
        Map<Setting, Value> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            if (s.defaultValue != null) {
                values.put(s, new Value(s.defaultValue, "default", "report this as a bug"));
            }
        }
        values.put(Setting.ID, new Value(sanitizeHostname(hostname.get()), "default from the host name",
                "set " + Setting.ID.envVar + " or --" + Setting.ID.flag()));
        if (file != null) {
            readFile(file, values);
        }
        for (Setting s : Setting.values()) {
            if (s.envVar != null && env.containsKey(s.envVar)) {
                values.put(s, new Value(env.get(s.envVar), "environment variable " + s.envVar,
                        "change or unset " + s.envVar));
            }
        }
        overrides.forEach((name, text) -> {
            Setting s = Setting.byName(name).orElseThrow(() -> new ConfigException(
                    "unknown setting '" + name + "' on the command line; known settings: " + Setting.knownKeys()));
            values.put(s, new Value(text, "flag --" + s.flag(), "change --" + s.flag()));
        });
        return build(values);
    }

    private static DeviceConfig build(Map<Setting, Value> values) {
        String brokerUrl = brokerUrl(values.get(Setting.BROKER_URL));
        return new DeviceConfig(
                id(values.get(Setting.ID)),
                brokerUrl,
                optional(values.get(Setting.USERNAME)),
                optional(values.get(Setting.PASSWORD)),
                truststore(values.get(Setting.TRUSTSTORE), brokerUrl),
                optional(values.get(Setting.TRUSTSTORE_PASSWORD)),
                (int) integer(Setting.THREADS, values.get(Setting.THREADS), 1, 256),
                slowdown(values.get(Setting.SLOWDOWN)),
                integer(Setting.HEARTBEAT_MILLIS, values.get(Setting.HEARTBEAT_MILLIS), 10, 600_000),
                path(values.get(Setting.STATE_DIR)),
                (int) integer(Setting.MAX_PAYLOAD_BYTES, values.get(Setting.MAX_PAYLOAD_BYTES), 1024, MQTT_MAX_PAYLOAD),
                (int) integer(Setting.CONNECT_TIMEOUT_SECONDS, values.get(Setting.CONNECT_TIMEOUT_SECONDS), 1, 3600),
                (int) integer(Setting.PUBLISH_TIMEOUT_SECONDS, values.get(Setting.PUBLISH_TIMEOUT_SECONDS), 1, 86_400));
    }

    private static void readFile(Path file, Map<Setting, Value> values) {
        DeviceConfigFile.read(file).forEach((s, text) ->
                values.put(s, new Value(text, "config file " + file, "change \"" + s.key + "\" in " + file)));
    }

    private static ConfigException invalid(Setting setting, Value value, String requirement) {
        return new ConfigException(setting.key + " = \"" + value.text() + "\" from " + value.origin()
                + " is invalid: " + requirement + ". Fix: " + value.fix() + ".");
    }

    private static String id(Value value) {
        try {
            return Topics.checkLevel(value.text());
        } catch (IllegalArgumentException e) {
            throw invalid(Setting.ID, value, "must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    private static String brokerUrl(Value value) {
        String requirement = "must look like tcp://host:1883 (or ssl://host:8883 for TLS)";
        try {
            URI uri = new URI(value.text());
            boolean plain = ("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null
                    && (uri.getPath() == null || uri.getPath().isEmpty())
                    && uri.getQuery() == null && uri.getFragment() == null
                    && (uri.getPort() == -1 || uri.getPort() <= 65535);
            if (!plain) {
                throw invalid(Setting.BROKER_URL, value, requirement);
            }
            return value.text();
        } catch (URISyntaxException e) {
            throw invalid(Setting.BROKER_URL, value, requirement);
        }
    }

    /** A readable file, and only with an ssl:// broker URL (with tcp:// it would silently do nothing). */
    private static Path truststore(Value value, String brokerUrl) {
        if (value == null || value.text().isEmpty()) {
            return null;
        }
        Path file;
        try {
            file = Path.of(value.text());
        } catch (InvalidPathException e) {
            throw invalid(Setting.TRUSTSTORE, value, "must be a file path (" + e.getReason() + ")");
        }
        if (!brokerUrl.startsWith("ssl://")) {
            throw invalid(Setting.TRUSTSTORE, value, "only applies to an ssl:// brokerUrl, and brokerUrl is "
                    + brokerUrl);
        }
        if (!Files.isReadable(file)) {
            throw invalid(Setting.TRUSTSTORE, value, "must be a readable keystore file (JKS or PKCS#12)");
        }
        return file;
    }

    /** An empty string means "not set", so an environment variable can clear a file value. */
    private static String optional(Value value) {
        return value == null || value.text().isEmpty() ? null : value.text();
    }

    private static long integer(Setting setting, Value value, long min, long max) {
        String requirement = "must be a whole number from " + min + " to " + max;
        try {
            long n = Long.parseLong(value.text().trim());
            if (n < min || n > max) {
                throw invalid(setting, value, requirement);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(setting, value, requirement);
        }
    }

    private static double slowdown(Value value) {
        String requirement = "must be a number >= 1 (1 = full speed, 2 = twice as slow)";
        try {
            double d = Double.parseDouble(value.text().trim());
            if (!(d >= 1) || Double.isInfinite(d)) {
                throw invalid(Setting.SLOWDOWN, value, requirement);
            }
            return d;
        } catch (NumberFormatException e) {
            throw invalid(Setting.SLOWDOWN, value, requirement);
        }
    }

    private static Path path(Value value) {
        try {
            if (value.text().isBlank()) {
                throw invalid(Setting.STATE_DIR, value, "must be a directory path");
            }
            return Path.of(value.text());
        } catch (InvalidPathException e) {
            throw invalid(Setting.STATE_DIR, value, "must be a directory path (" + e.getReason() + ")");
        }
    }

    /** Host names may hold characters a topic level may not; those become '-'. */
    static String sanitizeHostname(String host) {
        if (host == null) {
            return FALLBACK_ID;
        }
        String id = host.replaceAll("[^A-Za-z0-9._-]", "-");
        id = id.length() > 64 ? id.substring(0, 64) : id;
        return id.isEmpty() ? FALLBACK_ID : id;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return FALLBACK_ID;
        }
    }
}
