package io.ftpipe.broker.status;

import io.ftpipe.broker.central.DeviceRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns presence signals into birth, death and restart events. Each device that said hello is alive,
 * silent or gone in the events' eyes, and only a change of that is an event: one death often shows
 * several ways (the connection is lost, then the broker publishes the device's Last Will), and it
 * must be one event. Clients that never said hello (dashboards, tools) have no life here. Not
 * thread-safe: one status thread feeds it.
 */
final class DeviceLives {

    private enum Life {
        ALIVE,
        /** Connected but not heard from: a heartbeat brings it back. */
        SILENT,
        /** Connection lost or closed, or its Last Will came: only a hello brings it back. */
        GONE
    }

    private final Map<String, Life> lives = new HashMap<>();

    /** The device said hello: it joined, came back, or (if it never seemed to go) restarted. */
    DeviceEvent hello(String device, long now) {
        Life before = lives.put(device, Life.ALIVE);
        if (before == null) {
            return new DeviceEvent(device, DeviceEvent.Kind.BIRTH, "joined", now);
        }
        if (before == Life.ALIVE) {
            // Devices say hello only when they start or reconnect; a reconnect after a loss we
            // noticed comes from GONE. So the old process died unseen, or its loss is still on its way.
            return new DeviceEvent(device, DeviceEvent.Kind.RESTART,
                    "said hello again while alive: restarted, or reconnected before the loss was noticed", now);
        }
        return new DeviceEvent(device, DeviceEvent.Kind.BIRTH,
                before == Life.GONE ? "joined again" : "joined again after falling silent", now);
    }

    /** The device's connection ended or its Last Will came; nothing if it was not alive. */
    Optional<DeviceEvent> gone(String device, String reason, long now) {
        Life before = lives.get(device);
        if (before == null || before == Life.GONE) {
            return Optional.empty();
        }
        lives.put(device, Life.GONE);
        // A silent device already had its death; losing its connection too is no second one.
        return before == Life.SILENT ? Optional.empty()
                : Optional.of(new DeviceEvent(device, DeviceEvent.Kind.DEATH, reason, now));
    }

    /** A heartbeat: a device taken for dead by its silence is back. */
    Optional<DeviceEvent> heard(String device, long now) {
        if (lives.get(device) != Life.SILENT) {
            return Optional.empty();
        }
        lives.put(device, Life.ALIVE);
        return Optional.of(new DeviceEvent(device, DeviceEvent.Kind.BIRTH, "heard from again", now));
    }

    /**
     * Deaths of devices still connected that have not been heard from for longer than
     * {@code timeoutMillis} (a hung device keeps its socket up): the central node's own rule.
     */
    List<DeviceEvent> silent(List<DeviceRegistry.Device> devices, long now, long timeoutMillis) {
        List<DeviceEvent> out = new ArrayList<>();
        for (DeviceRegistry.Device d : devices) {
            long quiet = now - d.lastSeenMillis();
            if (lives.get(d.id()) == Life.ALIVE && d.connected() && quiet > timeoutMillis) {
                lives.put(d.id(), Life.SILENT);
                out.add(new DeviceEvent(d.id(), DeviceEvent.Kind.DEATH, "no heartbeat for " + quiet + " ms", now));
            }
        }
        return out;
    }
}
