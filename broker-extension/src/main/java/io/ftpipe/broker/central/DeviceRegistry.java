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
    /** Devices the broker disconnects at the central node's request, until when their hello is a reconnect. */
    private final Map<String, Long> reconnecting = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public DeviceRegistry(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * A hello: the device joined, or restarted and lost its state, unless it is the hello of a
     * reconnect the central node caused ({@link #expectReconnect}).
     *
     * @return false for such a reconnect (the device keeps its {@code joinedMillis}), true otherwise
     */
    public boolean joined(Message.Hello hello) {
        long now = clock.getAsLong();
        Long until = reconnecting.remove(hello.device());
        Device before = devices.get(hello.device());
        boolean reconnect = until != null && now <= until && before != null;
        devices.put(hello.device(), new Device(hello.device(), hello, true, reconnect ? before.joinedMillis() : now, now,
                reconnect ? before.lastHeartbeat() : null));
        return !reconnect;
    }

    /**
     * The broker is about to disconnect {@code id} at the central node's request: Mosquitto's
     * dynamic-security plugin disconnects a client whenever its permissions change, which a
     * client-mode central node does at every term. The device's process and state live on; it
     * reconnects to its kept session and, as after any reconnect, says hello. Its first hello within
     * {@code withinMillis} is taken as that reconnect, not as a restart. A device that really
     * restarted meanwhile lost its session and so the commands of its term: it fails that term's
     * time-outs instead.
     */
    public void expectReconnect(String id, long withinMillis) {
        reconnecting.put(id, clock.getAsLong() + withinMillis);
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
