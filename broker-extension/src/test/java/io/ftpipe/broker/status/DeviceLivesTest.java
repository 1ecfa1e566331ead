package io.ftpipe.broker.status;

import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.protocol.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceLivesTest {
    private final DeviceLives lives = new DeviceLives();

    private static DeviceRegistry.Device device(String id, boolean connected, long lastSeen) {
        return new DeviceRegistry.Device(id, new Message.Hello(id, 2, 1L << 30, 1, "t", 1 << 20), connected, 0,
                lastSeen, null);
    }

    private static String describe(DeviceEvent e) {
        return e.device() + " " + e.kind().json() + " " + e.reason() + " @" + e.atMillis();
    }

    private static String describe(Optional<DeviceEvent> e) {
        return e.map(DeviceLivesTest::describe).orElse("none");
    }

    @Test
    void oneDeathHowEverManyWaysItShows() {
        assertEquals("d birth joined @1", describe(lives.hello("d", 1)));
        assertEquals("d death connection lost @2", describe(lives.gone("d", "connection lost", 2)));
        // The broker publishes the Last Will after the connection is lost: the same death.
        assertEquals("none", describe(lives.gone("d", "last will", 3)));
        assertEquals("d birth joined again @4", describe(lives.hello("d", 4)));
    }

    @Test
    void helloWhileAliveIsARestart() {
        lives.hello("d", 1);
        DeviceEvent again = lives.hello("d", 2);
        assertEquals(DeviceEvent.Kind.RESTART, again.kind());
        assertTrue(again.reason().startsWith("said hello again while alive"), again.reason());
    }

    @Test
    void silenceIsADeathAndAHeartbeatABirth() {
        lives.hello("d", 0);
        lives.hello("e", 0);
        List<DeviceEvent> deaths = lives.silent(List.of(device("d", true, 1000), device("e", true, 5500)), 6001, 5000);
        assertEquals(List.of("d death no heartbeat for 5001 ms @6001"), deaths.stream().map(DeviceLivesTest::describe).toList());
        // Still silent: not dead twice.
        assertEquals(List.of(), lives.silent(List.of(device("d", true, 1000)), 7000, 5000));
        assertEquals("none", describe(lives.heard("e", 6100)), "a live device's heartbeat is no event");
        assertEquals("d birth heard from again @7100", describe(lives.heard("d", 7100)));
    }

    @Test
    void aSilentDeviceThatLosesItsConnectionDoesNotDieTwice() {
        lives.hello("d", 0);
        lives.silent(List.of(device("d", true, 0)), 6000, 5000);
        assertEquals("none", describe(lives.gone("d", "connection lost", 6100)));
        assertEquals("none", describe(lives.heard("d", 6200)), "only a hello brings a gone device back");
        assertEquals("d birth joined again @6300", describe(lives.hello("d", 6300)));
    }

    @Test
    void disconnectedDevicesAreNotSilentAndStrangersHaveNoLife() {
        lives.hello("d", 0);
        lives.gone("d", "connection lost", 10);
        assertEquals(List.of(), lives.silent(List.of(device("d", false, 0)), 60_000, 5000));
        assertEquals("none", describe(lives.gone("dashboard", "connection lost", 1)));
        assertEquals("none", describe(lives.heard("dashboard", 1)));
    }
}
