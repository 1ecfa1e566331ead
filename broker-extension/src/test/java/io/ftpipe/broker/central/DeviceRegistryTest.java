package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceRegistryTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final DeviceRegistry registry = new DeviceRegistry(now::get);

    private static Message.Hello hello(String id) {
        return new Message.Hello(id, 2, 1L << 30, 1, "test", 1 << 20);
    }

    private long joined(String id) {
        return registry.get(id).orElseThrow().joinedMillis();
    }

    @Test
    void aSecondHelloIsARestart() {
        assertTrue(registry.joined(hello("d")));
        now.addAndGet(500);
        assertTrue(registry.joined(hello("d")));
        assertEquals(1_500, joined("d"));
    }

    @Test
    void theHelloOfAnExpectedReconnectKeepsWhenTheDeviceJoinedOnce() {
        registry.joined(hello("d"));
        now.addAndGet(500);
        registry.expectReconnect("d", 1_000);
        now.addAndGet(200);
        assertFalse(registry.joined(hello("d")), "a reconnect, not a restart");
        assertEquals(1_000, joined("d"));
        assertEquals(1_700, registry.get("d").orElseThrow().lastSeenMillis());
        now.addAndGet(100);
        assertTrue(registry.joined(hello("d")), "only the first hello after the disconnect");
        assertEquals(1_800, joined("d"));
    }

    @Test
    void aHelloAfterTheWindowOrFromANewDeviceIsAJoin() {
        registry.joined(hello("d"));
        registry.expectReconnect("d", 100);
        now.addAndGet(101);
        assertTrue(registry.joined(hello("d")));
        assertEquals(1_101, joined("d"));

        registry.expectReconnect("new", 100);
        assertTrue(registry.joined(hello("new")), "never joined before: nothing to reconnect");
    }
}
