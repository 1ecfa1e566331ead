package io.ftpipe.broker.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalTest {
    @Test
    void encodesAndDecodes() {
        for (Principal p : new Principal[]{Principal.device("gw-1"), new Principal(Principal.Kind.ADMIN, "a:b"),
                new Principal(Principal.Kind.MONITOR, "m")}) {
            assertEquals(p, Principal.decode(p.encode()).orElseThrow());
        }
        assertEquals("device:gw-1", Principal.device("gw-1").encode());
        assertTrue(Principal.decode("root").isEmpty());
        assertTrue(Principal.decode("root:x").isEmpty());
    }
}
