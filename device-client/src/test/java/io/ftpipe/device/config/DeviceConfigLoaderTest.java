package io.ftpipe.device.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.device.mqtt.LastWill;
import io.ftpipe.device.mqtt.TransportOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceConfigLoaderTest {
    @TempDir
    Path dir;

    private static DeviceConfigLoader loader(Map<String, String> env) {
        return new DeviceConfigLoader(env, () -> "gw-7.lab");
    }

    private Path file(String json) throws Exception {
        Path f = dir.resolve("device.json");
        Files.writeString(f, json);
        return f;
    }

    private static String message(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @Test
    void defaultsWithoutFileEnvOrFlags() {
        DeviceConfig c = loader(Map.of()).load(null, Map.of());

        assertEquals("gw-7.lab", c.id());
        assertEquals("tcp://localhost:1883", c.brokerUrl());
        assertNull(c.username());
        assertNull(c.password());
        assertEquals(1, c.threads());
        assertEquals(1.0, c.slowdown());
        assertEquals(1000, c.heartbeatMillis());
        assertEquals(Path.of("/var/lib/ftpipe"), c.stateDir());
        assertEquals(64 * 1024 * 1024, c.maxPayloadBytes());
        assertEquals(10, c.connectTimeoutSeconds());
        assertEquals(30, c.publishTimeoutSeconds());
    }

    @Test
    void hostNamesBecomeValidIds() {
        assertEquals("My-Host-.local", new DeviceConfigLoader(Map.of(), () -> "My Host!.local")
                .load(null, Map.of()).id());
        assertEquals("device", DeviceConfigLoader.sanitizeHostname(""));
        assertEquals(64, DeviceConfigLoader.sanitizeHostname("h".repeat(100)).length());
    }

    @Test
    void fileValuesReplaceDefaults() throws Exception {
        Path f = file("""
                {"id": "d1", "brokerUrl": "tcp://10.0.0.5:1884", "username": "dev", "password": "s3cret",
                 "threads": 2, "slowdown": 2.5, "heartbeatMillis": 250, "stateDir": "/tmp/ftpipe",
                 "maxPayloadBytes": 1048576, "connectTimeoutSeconds": 3, "publishTimeoutSeconds": 7}
                """);

        DeviceConfig c = loader(Map.of()).load(f, Map.of());

        assertEquals(new DeviceConfig("d1", "tcp://10.0.0.5:1884", "dev", "s3cret", null, null, 2, 2.5, 250,
                Path.of("/tmp/ftpipe"), 1_048_576, 3, 7), c);
    }

    @Test
    void environmentBeatsFileAndFlagsBeatEnvironment() throws Exception {
        Path f = file("{\"id\": \"from-file\", \"threads\": 2, \"slowdown\": 3, \"username\": \"file-user\"}");
        Map<String, String> env = Map.of("FTPIPE_DEVICE_ID", "from-env", "FTPIPE_THREADS", "3",
                "FTPIPE_BROKER_URL", "tcp://broker:1883", "FTPIPE_HEARTBEAT_MS", "500",
                "FTPIPE_STATE_DIR", "/srv/ftpipe", "FTPIPE_USERNAME", "", "FTPIPE_PASSWORD", "pw",
                "FTPIPE_SLOWDOWN", "1.5");

        DeviceConfig c = loader(env).load(f, Map.of("--id", "from-flag", "broker-url", "tcp://other:1883",
                "heartbeatMillis", "100"));

        assertEquals("from-flag", c.id());
        assertEquals("tcp://other:1883", c.brokerUrl());
        assertEquals(3, c.threads());
        assertEquals(1.5, c.slowdown());
        assertEquals(100, c.heartbeatMillis());
        assertEquals(Path.of("/srv/ftpipe"), c.stateDir());
        assertNull(c.username(), "an empty variable clears the file's value");
        assertEquals("pw", c.password());
    }

    @Test
    void exampleFileHasEveryKeyAndLoads() throws Exception {
        Path example = dir.resolve("device.example.json");
        try (InputStream in = getClass().getResourceAsStream("/device.example.json")) {
            Files.copy(in, example);
        }
        Set<String> keys = new HashSet<>();
        new ObjectMapper().readTree(example.toFile()).fieldNames().forEachRemaining(keys::add);
        Set<String> expected = new HashSet<>();
        Arrays.stream(Setting.values()).forEach(s -> expected.add(s.key));

        assertEquals(expected, keys);
        assertEquals("gateway-1", loader(Map.of()).load(example, Map.of()).id());
    }

    @Test
    void transportOptionsCarryTheSettings() {
        DeviceConfig c = loader(Map.of()).load(null, Map.of("id", "d9", "password", "pw",
                "connect-timeout-seconds", "4", "publish-timeout-seconds", "8", "max-payload-bytes", "2048"));
        LastWill will = new LastWill("ftpipe/v1/devices/d9/heartbeat", new byte[]{1}, 1, false);

        TransportOptions o = c.transportOptions(will);

        assertEquals("d9", o.clientId());
        assertEquals("pw", o.password());
        assertEquals(will, o.lastWill());
        assertEquals(2048, o.maxPayloadBytes());
        assertEquals(Duration.ofSeconds(4), o.connectTimeout());
        assertEquals(Duration.ofSeconds(8), o.publishTimeout());
        assertFalse(c.toString().contains("pw"), c.toString());
        assertFalse(o.toString().contains("pw"), o.toString());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "FTPIPE_THREADS      | -2                | threads = \"-2\" from environment variable FTPIPE_THREADS is invalid: must be a whole number from 1 to 256. Fix: change or unset FTPIPE_THREADS.",
            "FTPIPE_THREADS      | two               | must be a whole number from 1 to 256",
            "FTPIPE_SLOWDOWN     | 0.5               | slowdown = \"0.5\" from environment variable FTPIPE_SLOWDOWN is invalid: must be a number >= 1",
            "FTPIPE_SLOWDOWN     | NaN               | must be a number >= 1",
            "FTPIPE_BROKER_URL   | localhost:1883    | brokerUrl = \"localhost:1883\" from environment variable FTPIPE_BROKER_URL is invalid: must look like tcp://host:1883",
            "FTPIPE_BROKER_URL   | http://broker:80  | must look like tcp://host:1883",
            "FTPIPE_BROKER_URL   | tcp://broker:1883/x | must look like tcp://host:1883",
            "FTPIPE_BROKER_URL   | tcp://            | must look like tcp://host:1883",
            "FTPIPE_DEVICE_ID    | a/b               | id = \"a/b\" from environment variable FTPIPE_DEVICE_ID is invalid: must be 1-64 characters of A-Z a-z 0-9 . _ -",
            "FTPIPE_DEVICE_ID    | dev+              | must be 1-64 characters",
            "FTPIPE_HEARTBEAT_MS | 0                 | heartbeatMillis = \"0\" from environment variable FTPIPE_HEARTBEAT_MS is invalid: must be a whole number from 10 to 600000",
            "FTPIPE_STATE_DIR    | ' '               | stateDir = \" \" from environment variable FTPIPE_STATE_DIR is invalid: must be a directory path",
    })
    void badEnvironmentValuesNameTheVariableAndTheFix(String variable, String value, String expected) {
        String m = message(() -> loader(Map.of(variable, value)).load(null, Map.of()));

        assertTrue(m.contains(expected), m);
        assertTrue(m.contains("Fix: change or unset " + variable), m);
    }

    @Test
    void badFlagValuesNameTheFlag() {
        String m = message(() -> loader(Map.of()).load(null, Map.of("--slowdown", "0")));
        assertEquals("slowdown = \"0\" from flag --slowdown is invalid: must be a number >= 1 "
                + "(1 = full speed, 2 = twice as slow). Fix: change --slowdown.", m);

        m = message(() -> loader(Map.of()).load(null, Map.of("max-payload-bytes", "10")));
        assertTrue(m.contains("must be a whole number from 1024 to 268435455"), m);

        m = message(() -> loader(Map.of()).load(null, Map.of("publishTimeoutSeconds", "0")));
        assertTrue(m.contains("publishTimeoutSeconds = \"0\" from flag --publish-timeout-seconds"), m);

        m = message(() -> loader(Map.of()).load(null, Map.of("connectTimeoutSeconds", "-1")));
        assertTrue(m.contains("Fix: change --connect-timeout-seconds."), m);
    }

    @Test
    void unknownFlagIsRejected() {
        String m = message(() -> loader(Map.of()).load(null, Map.of("--thread", "2")));
        assertTrue(m.startsWith("unknown setting '--thread' on the command line; known settings: id, brokerUrl"), m);
    }

    @Test
    void badFileValuesNameTheFileAndKey() throws Exception {
        Path f = file("{\"threads\": 0}");
        String m = message(() -> loader(Map.of()).load(f, Map.of()));
        assertEquals("threads = \"0\" from config file " + f + " is invalid: must be a whole number from 1 to 256."
                + " Fix: change \"threads\" in " + f + ".", m);
    }

    @Test
    void unknownKeyInFileIsRejected() throws Exception {
        Path f = file("{\"id\": \"d1\", \"thread\": 2}");
        String m = message(() -> loader(Map.of()).load(f, Map.of()));
        assertTrue(m.startsWith("config file " + f + ": unknown key \"thread\"; remove it or use one of: id,"), m);
    }

    @Test
    void flagSpellingIsNotAFileKey() throws Exception {
        Path f = file("{\"broker-url\": \"tcp://x:1883\"}");
        assertTrue(message(() -> loader(Map.of()).load(f, Map.of())).contains("unknown key \"broker-url\""));
    }

    @Test
    void malformedFilesAreReported() throws Exception {
        Path missing = dir.resolve("nope.json");
        assertTrue(message(() -> loader(Map.of()).load(missing, Map.of()))
                .contains("config file " + missing + " does not exist"));

        Path broken = file("{\"id\": \"d1\",\n \"threads\": }");
        String m = message(() -> loader(Map.of()).load(broken, Map.of()));
        assertTrue(m.startsWith("config file " + broken + " is not valid JSON"), m);
        assertTrue(m.contains("line 2"), m);

        Path twice = file("{\"threads\": 1, \"threads\": 2}");
        assertTrue(message(() -> loader(Map.of()).load(twice, Map.of())).contains("Duplicate field 'threads'"));

        Path nested = file("{\"threads\": [1]}");
        assertTrue(message(() -> loader(Map.of()).load(nested, Map.of()))
                .contains("\"threads\" must be a string or a number, not array"));

        Path notObject = file("[1, 2]");
        assertTrue(message(() -> loader(Map.of()).load(notObject, Map.of())).contains("must hold a JSON object"));
    }

    @Test
    void sslBrokerUrlWithATruststoreReachesTheTransport() throws Exception {
        Path store = Files.writeString(dir.resolve("trust.p12"), "not checked here: the transport reads it");
        DeviceConfig c = loader(Map.of("FTPIPE_TRUSTSTORE_PASSWORD", "tpw")).load(null, Map.of("id", "d1",
                "broker-url", "ssl://broker.lan:8883", "truststore", store.toString(), "username", "d1",
                "password", "pw"));

        TransportOptions o = c.transportOptions(null);

        assertEquals("ssl://broker.lan:8883", o.brokerUrl());
        assertEquals(store, o.truststore());
        assertEquals("tpw", o.truststorePassword());
        assertEquals("d1", o.username());
        assertFalse(c.toString().contains("tpw"), c.toString());
        assertFalse(o.toString().contains("tpw"), o.toString());
    }

    @Test
    void truststoreWithAPlainBrokerUrlOrMissingFileIsRefused() throws Exception {
        Path store = Files.writeString(dir.resolve("trust.p12"), "x");
        String m = message(() -> loader(Map.of("FTPIPE_TRUSTSTORE", store.toString())).load(null, Map.of()));
        assertTrue(m.startsWith("truststore = \"" + store + "\" from environment variable FTPIPE_TRUSTSTORE is invalid:"
                + " only applies to an ssl:// brokerUrl"), m);

        Path missing = dir.resolve("missing.p12");
        m = message(() -> loader(Map.of()).load(null, Map.of("--broker-url", "ssl://b:8883", "--truststore",
                missing.toString())));
        assertTrue(m.contains("must be a readable keystore file (JKS or PKCS#12). Fix: change --truststore."), m);
    }
}
