package io.ftpipe.broker.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The device events the dashboard derives from two looks at who is alive, a second apart: a pure
 * function. A device that stopped being alive (connection lost or heartbeats gone quiet, the
 * central node's own rule) is {@code offline}; a job that lost it says so itself, as a failure.
 */
final class DeviceChanges {
    private DeviceChanges() {
    }

    static List<LiveEvent> between(Set<String> before, Set<String> now) {
        List<LiveEvent> out = new ArrayList<>();
        now.stream().filter(d -> !before.contains(d)).sorted()
                .forEach(d -> out.add(new LiveEvent("join", null, "device " + d + " joined")));
        before.stream().filter(d -> !now.contains(d)).sorted()
                .forEach(d -> out.add(new LiveEvent("offline", null, "device " + d + " is offline: connection lost "
                        + "or heartbeats stopped")));
        return out;
    }
}
