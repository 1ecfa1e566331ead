package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The devices the central node knows: joined by a valid {@code hello}, alive while connected and
 * heartbeating. A device's MQTT client id is its device id. Thread-safe.
 */
public final class DeviceRegistry {

    /**
     * What is known of one device. {@code joinedMillis} is its latest hello: a device that says
     * hello again has restarted and lost its state.
     */
    public record Device(String id, Message.Hello hello, boolean connected, long joinedMillis, long lastSeenMillis,
                         Message.Heartbeat lastHeartbeat) {
    }

    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public DeviceRegistry(LongSupplier clock) {
        this.clock = clock;
    }

    public void joined(Message.Hello hello) {
        long now = clock.getAsLong();
        devices.put(hello.device(), new Device(hello.device(), hello, true, now, now, null));
    }

    /**
     * A heartbeat; an {@link Message.Heartbeat#OFFLINE} one is the device's Last Will: it is gone.
     *
     * @return false for a device that never sent a valid hello
     */
    public boolean heartbeat(Message.Heartbeat h) {
        boolean online = !Message.Heartbeat.OFFLINE.equals(h.activity().state());
        return devices.computeIfPresent(h.device(), (id, d) -> new Device(id, d.hello(), online, d.joinedMillis(),
                online ? clock.getAsLong() : d.lastSeenMillis(), online ? h : d.lastHeartbeat())) != null;
    }

    public void connected(String id) {
        devices.computeIfPresent(id, (k, d) -> new Device(k, d.hello(), true, d.joinedMillis(), clock.getAsLong(),
                d.lastHeartbeat()));
    }

    public void disconnected(String id) {
        devices.computeIfPresent(id, (k, d) -> new Device(k, d.hello(), false, d.joinedMillis(), d.lastSeenMillis(),
                d.lastHeartbeat()));
    }

    /** What is known of a device, if it ever joined. */
    public java.util.Optional<Device> get(String id) {
        return java.util.Optional.ofNullable(devices.get(id));
    }

    /** The largest message the device accepts (as it said in its hello). */
    public int maxPayloadBytes(String id) {
        return hello(id).maxPayloadBytes();
    }

    /** The memory the device offers (its hello's). */
    public long memoryBytes(String id) {
        return hello(id).memoryBytes();
    }

    /** The compute threads the device runs with (its hello's). */
    public int threads(String id) {
        return hello(id).threads();
    }

    private Message.Hello hello(String id) {
        Device d = devices.get(id);
        if (d == null) {
            throw new IllegalArgumentException("unknown device " + id);
        }
        return d.hello();
    }

    public boolean known(String id) {
        return devices.containsKey(id);
    }

    /** Devices connected and heard from within {@code timeoutMillis}, in order of id. */
    public List<String> alive(long timeoutMillis) {
        long now = clock.getAsLong();
        List<String> out = new ArrayList<>();
        devices.values().stream().filter(d -> d.connected() && now - d.lastSeenMillis() <= timeoutMillis)
                .map(Device::id).sorted().forEach(out::add);
        return out;
    }

    public List<Device> all() {
        return List.copyOf(devices.values());
    }
}
