package io.ftpipe.centralclient.configuration;

import io.ftpipe.broker.configuration.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerConnectionReaderTest {
    private static final Path BASE = Path.of("/etc/ftpipe");

    @Test
    void keysAreBoundDefaultsFilledAndRelativePathsResolvedAgainstTheFile() throws Exception {
        BrokerConnectionFile f = BrokerConnectionReader.parse("""
                {"brokerUrl": "ssl://broker.lan:8883", "username": "central", "password": "s3cret",
                 "truststore": "broker-truststore.p12", "sessionExpirySeconds": 600}""", BASE, "conn.json");
        BrokerConnection c = BrokerConnectionReader.connection(f, "conn.json");
        assertEquals("ssl://broker.lan:8883", c.brokerUrl());
        assertEquals(BrokerConnection.DEFAULT_CLIENT_ID, c.clientId());
        assertEquals(Path.of("/etc/ftpipe/broker-truststore.p12"), c.truststore());
        assertEquals(600, c.sessionExpirySeconds());
        assertEquals(BrokerConnection.DEFAULT_KEEP_ALIVE_SECONDS, c.keepAliveSeconds());
        assertNull(c.keystore());
        assertTrue(c.tls());
        assertTrue(!c.toString().contains("s3cret"), "no password in logs: " + c);
    }

    @Test
    void flagsWinOverTheFile() throws Exception {
        BrokerConnectionFile file = BrokerConnectionReader.parse(
                "{\"brokerUrl\": \"tcp://a:1883\", \"clientId\": \"x\"}", BASE, "conn.json");
        BrokerConnectionFile flags = new BrokerConnectionFile("tcp://b:1884", null, null, null, null, null, null, null,
                null, null, null, null);
        BrokerConnection c = BrokerConnectionReader.connection(file.overriddenBy(flags), "conn.json");
        assertEquals("tcp://b:1884", c.brokerUrl());
        assertEquals("x", c.clientId());
    }

    @Test
    void mistakesNameTheSourceAndTheKey() {
        assertEquals("conn.json: unknown key 'brokerURL'", message(() -> BrokerConnectionReader.parse(
                "{\"brokerURL\": \"tcp://a:1\"}", BASE, "conn.json")).split(" \\(known")[0]);
        assertTrue(message(() -> BrokerConnectionReader.parse("{\"keepAliveSeconds\": \"10\"}", BASE, "conn.json"))
                .startsWith("conn.json: keepAliveSeconds must be"));
        assertEquals("conn.json: brokerUrl is missing: give the broker as tcp://host:port or ssl://host:port",
                message(() -> connection("{}")));
        assertEquals("conn.json: brokerUrl must start with tcp:// or ssl://, got 'ws://a:1'",
                message(() -> connection("{\"brokerUrl\": \"ws://a:1\"}")));
        assertEquals("conn.json: brokerUrl must name a host and a port, like tcp://host:1883, got 'tcp://a'",
                message(() -> connection("{\"brokerUrl\": \"tcp://a\"}")));
        assertEquals("conn.json: truststore and keystore need an ssl:// brokerUrl, got tcp://a:1",
                message(() -> connection("{\"brokerUrl\": \"tcp://a:1\", \"truststore\": \"t.p12\"}")));
        assertEquals("conn.json: password is given without a username",
                message(() -> connection("{\"brokerUrl\": \"tcp://a:1\", \"password\": \"p\"}")));
        assertTrue(message(() -> connection("{\"brokerUrl\": \"tcp://a:1\", \"sessionExpirySeconds\": 0}"))
                .startsWith("conn.json: sessionExpirySeconds must be 1 - 4294967295"));
    }

    private static BrokerConnection connection(String json) throws InvalidConfigurationException {
        return BrokerConnectionReader.connection(BrokerConnectionReader.parse(json, BASE, "conn.json"), "conn.json");
    }

    private interface Reading {
        Object run() throws Exception;
    }

    private static String message(Reading r) {
        return assertThrows(InvalidConfigurationException.class, r::run).getMessage();
    }
}
