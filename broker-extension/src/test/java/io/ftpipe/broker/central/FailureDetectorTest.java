package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.*;

class FailureDetectorTest {
    private static final long TERM_START = 1_000;
    private static final long NOW = 10_000;
    private static final long TIMEOUT = 2_000;
    private static final Message.Hello HELLO = new Message.Hello("x", 2, 1 << 30, 1, "0.1.0", 1 << 20);

    private static DeviceRegistry.Device device(String id, boolean connected, long joined, long lastSeen) {
        return new DeviceRegistry.Device(id, HELLO, connected, joined, lastSeen, null);
    }

    private static List<FailureDetector.Failure> failed(Map<String, DeviceRegistry.Device> known, String... ids) {
        return FailureDetector.failed(List.of(ids), id -> Optional.ofNullable(known.get(id)), TERM_START, NOW, TIMEOUT);
    }

    @Test
    void aLiveHeartbeatingDeviceHasNotFailedHoweverSlow() {
        assertEquals(List.of(), failed(Map.of("a", device("a", true, 0, NOW - TIMEOUT)), "a"));
    }

    @Test
    void connectionLossSilenceRestartAndUnknownAreFailuresEachNamed() {
        var known = Map.of(
                "lost", device("lost", false, 0, NOW),
                "silent", device("silent", true, 0, NOW - TIMEOUT - 1),
                "restarted", device("restarted", true, TERM_START + 1, NOW));
        var f = failed(known, "lost", "silent", "restarted", "ghost");
        assertEquals(List.of("lost", "silent", "restarted", "ghost"), f.stream().map(FailureDetector.Failure::device).toList());
        assertTrue(f.get(0).reason().contains("connection lost"));
        assertTrue(f.get(1).reason().contains("no heartbeat for 2001 ms"));
        assertTrue(f.get(2).reason().contains("restarted"));
        assertTrue(f.get(3).reason().contains("unknown"));
    }

    @Test
    void aPipelineIsIdleSinceItsOldestFeedOrItsLastFinishWhicheverIsLater() {
        // Nine in flight behind a slow link: the oldest fed 40 s ago, but one finished 3 s ago.
        assertEquals(3_000, FailureDetector.idleMillis(OptionalLong.of(40_000), 3_000));
        // Fed 2 s ago into a pipeline that last finished a minute ago (a new term's first feed).
        assertEquals(2_000, FailureDetector.idleMillis(OptionalLong.of(2_000), 60_000));
        assertEquals(0, FailureDetector.idleMillis(OptionalLong.empty(), 60_000), "nothing in flight");
    }
}
