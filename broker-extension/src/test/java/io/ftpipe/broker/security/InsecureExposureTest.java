package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.SecurityConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which listeners let anyone in: with security off, those beyond loopback. */
class InsecureExposureTest {
    private static final ExtensionConfig OFF = ExtensionConfig.defaults(Path.of("/tmp")).withCoap(5683, "127.0.0.1");
    private static final InsecureExposure.Listener MQTT_ALL = new InsecureExposure.Listener("MQTT", "0.0.0.0", 1883);

    @Test
    void withSecurityOffEveryListenerBeyondLoopbackIsExposed() {
        assertEquals(List.of(MQTT_ALL), InsecureExposure.exposed(OFF, List.of(MQTT_ALL,
                new InsecureExposure.Listener("MQTT", "127.0.0.1", 1884),
                new InsecureExposure.Listener("MQTT", "localhost", 1885),
                new InsecureExposure.Listener("MQTT", "::1", 1886))));
        List<InsecureExposure.Listener> web = InsecureExposure.exposed(OFF.withCoap(5683, "0.0.0.0")
                .withHttp(8780, "192.0.2.1"), List.of());
        assertEquals(List.of("CoAP management API on 0.0.0.0:5683", "dashboard on 192.0.2.1:8780"),
                web.stream().map(Object::toString).toList());
        assertEquals(List.of(), InsecureExposure.exposed(OFF.withCoap(0, "0.0.0.0").withHttp(0, "0.0.0.0"),
                List.of()), "a listener that is off exposes nothing");
        assertTrue(InsecureExposure.describe(List.of(MQTT_ALL)).contains("--insecure"));
    }

    @Test
    void withSecurityOnNothingIsExposedAndAnUnresolvableNameCountsAsExposed() {
        SecurityConfig on = new SecurityConfig(true, List.of(new DeviceAccount("gw-1", PasswordHash.create(
                "pw".toCharArray(), 1_000, new SecureRandom()))), List.of());
        assertEquals(List.of(), InsecureExposure.exposed(OFF.withSecurity(on), List.of(MQTT_ALL)));
        assertEquals(1, InsecureExposure.exposed(OFF, List.of(new InsecureExposure.Listener("MQTT",
                "no-such-host.invalid", 1883))).size());
    }
}
