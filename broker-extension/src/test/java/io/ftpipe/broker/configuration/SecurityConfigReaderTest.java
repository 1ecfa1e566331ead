package io.ftpipe.broker.configuration;

import io.ftpipe.broker.security.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code security} section: what it turns on, and an error naming the key for every mistake. */
class SecurityConfigReaderTest {
    private static final String HASH = PasswordHash.create("pw".toCharArray(), 1_000, new SecureRandom()).toString();

    private final ExtensionConfigReader reader = new ExtensionConfigReader();

    @TempDir
    Path dir;

    private ExtensionConfig parse(String security) throws InvalidConfigurationException {
        return reader.parse("{\"security\": " + security + "}", dir, "test.json");
    }

    private String error(String security) {
        return assertThrows(InvalidConfigurationException.class, () -> parse(security)).getMessage();
    }

    @Test
    void withoutTheSectionSecurityIsOff() throws Exception {
        assertEquals(SecurityConfig.OFF, reader.parse("{}", dir, "test.json").security());
        assertFalse(ExtensionConfig.defaults(dir).security().enabled());
    }

    @Test
    void aFullSectionIsRead() throws Exception {
        SecurityConfig s = parse("""
                {"enabled": true,
                 "devices": [{"id": "gw-1", "passwordHash": "%1$s"}, {"id": "gw-2", "passwordHash": "%1$s"}],
                 "clients": [{"username": "ops", "role": "admin", "passwordHash": "%1$s"},
                             {"username": "grafana", "role": "monitor", "passwordHash": "%1$s"}]}
                """.formatted(HASH)).security();

        assertTrue(s.enabled());
        assertEquals(2, s.devices().size());
        assertTrue(s.isDevice("gw-2"));
        assertEquals(Role.MONITOR, s.clients().get(1).role());
        assertTrue(s.clients().get(0).passwordHash().matches("pw".getBytes(StandardCharsets.UTF_8)));
        assertFalse(s.toString().contains(HASH.split("\\$")[3]), "no hash in toString: " + s);
    }

    @Test
    void aDisabledSectionIsStillChecked() {
        // A mistake must show before someone turns security on in production.
        assertTrue(error("{\"enabled\": false, \"devices\": [{\"id\": \"gw-1\"}]}")
                .contains("security.devices[0].passwordHash is missing"));
    }

    @Test
    void everyMistakeNamesItsKey() {
        assertEquals("test.json: security.enabled is missing: set it to true or false",
                error("{\"devices\": []}"));
        assertTrue(error("{\"enabled\": \"yes\"}").contains("security.enabled must be true or false"));
        assertTrue(error("true").contains("security must be an object"));
        assertTrue(error("{\"enabled\": true, \"users\": []}").contains("security has an unknown key 'users'"));
        assertTrue(error("{\"enabled\": true, \"devices\": {}}").contains("security.devices must be an array"));
        assertTrue(error("{\"enabled\": true, \"devices\": [{\"id\": \"gw-1\"}]}")
                .contains("security.devices[0].passwordHash is missing: make one with `ftpipe hash-password`"));
        assertTrue(error("{\"enabled\": true, \"devices\": [{\"passwordHash\": \"" + HASH + "\"}]}")
                .contains("security.devices[0].id is missing"));
        assertTrue(error("{\"enabled\": true, \"devices\": [{\"id\": \"a/b\", \"passwordHash\": \"" + HASH + "\"}]}")
                .contains("security.devices[0].id 'a/b' is not a device id"));
        assertTrue(error("{\"enabled\": true, \"devices\": [{\"id\": \"gw-1\", \"passwordHash\": \"secret\"}]}")
                .contains("security.devices[0].passwordHash is not a password hash: must look like pbkdf2-sha256$"));
        assertTrue(error("{\"enabled\": true, \"devices\": [{\"id\": \"gw-1\", \"password\": \"x\"}]}")
                .contains("security.devices[0] has an unknown key 'password'"));
        assertTrue(error("{\"enabled\": true, \"clients\": [{\"username\": \"ops\", \"role\": \"root\", "
                + "\"passwordHash\": \"" + HASH + "\"}]}")
                .contains("security.clients[0].role must be one of monitor, admin, got 'root'"));
        assertTrue(error("{\"enabled\": true, \"clients\": [{\"username\": \"ops\", \"passwordHash\": \"" + HASH + "\"}]}")
                .contains("security.clients[0].role is missing"));
        assertTrue(error("{\"enabled\": true, \"clients\": [{\"username\": \"o:ps\", \"role\": \"admin\", "
                + "\"passwordHash\": \"" + HASH + "\"}]}")
                .contains("security.clients[0].username must be 1-256 characters without ':', got 'o:ps'"));
    }

    @Test
    void namesAreUniqueAcrossDevicesAndClients() {
        String device = "{\"id\": \"gw-1\", \"passwordHash\": \"" + HASH + "\"}";
        assertTrue(error("{\"enabled\": true, \"devices\": [" + device + ", " + device + "]}")
                .contains("security.devices[1].id 'gw-1' is listed twice"));
        assertTrue(error("{\"enabled\": true, \"devices\": [" + device + "], \"clients\": [{\"username\": \"gw-1\", "
                + "\"role\": \"monitor\", \"passwordHash\": \"" + HASH + "\"}]}")
                .contains("security.clients[0].username 'gw-1' is already a device id"));
    }

    @Test
    void turningItOnWithNobodyListedIsAnError() {
        assertTrue(error("{\"enabled\": true}").contains("security.enabled is true but security.devices and "
                + "security.clients are both empty"));
    }

    @Test
    void theHashIsNeverEchoed() {
        String bad = HASH.replace("pbkdf2-sha256$1000", "pbkdf2-sha256$10");
        String m = error("{\"enabled\": true, \"devices\": [{\"id\": \"gw-1\", \"passwordHash\": \"" + bad + "\"}]}");
        assertTrue(m.contains("iteration count must be between 1000"), m);
        assertFalse(m.contains(bad.split("\\$")[3]), m);
    }

    @Test
    void aClientsPreSharedKeyIsReadAndAShortOrUnprintableOneIsRefusedWithoutEchoingIt() throws Exception {
        String key = "0123456789abcdef0123";
        ExtensionConfig config = parse("{\"enabled\": true, \"clients\": [{\"username\": \"ops\", \"role\": "
                + "\"admin\", \"passwordHash\": \"" + HASH + "\", \"psk\": \"" + key + "\"}]}");
        assertEquals(io.ftpipe.broker.security.PreSharedKey.parse(key),
                config.security().clients().get(0).preSharedKey().orElseThrow());
        assertFalse(config.security().clients().get(0).toString().contains(key));

        String shortKey = error("{\"enabled\": true, \"clients\": [{\"username\": \"ops\", \"role\": \"admin\", "
                + "\"passwordHash\": \"" + HASH + "\", \"psk\": \"short-secret\"}]}");
        assertTrue(shortKey.contains("security.clients[0].psk must be 16-64 characters, got 12"), shortKey);
        assertFalse(shortKey.contains("short-secret"), shortKey);
        String spaced = error("{\"enabled\": true, \"clients\": [{\"username\": \"ops\", \"role\": \"admin\", "
                + "\"passwordHash\": \"" + HASH + "\", \"psk\": \"a key with spaces in it\"}]}");
        assertTrue(spaced.contains("security.clients[0].psk must be printable ASCII without spaces"), spaced);
    }
}
