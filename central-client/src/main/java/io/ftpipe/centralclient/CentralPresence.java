package io.ftpipe.centralclient;

import io.ftpipe.broker.json.PublishedJson;
import io.ftpipe.protocol.Topics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client-mode central node's own presence, retained on {@value #TOPIC}: {@code online} once it
 * is connected, {@code offline} when it stops, and its MQTT Last Will (also {@code offline}) when
 * the broker loses it. Dashboards and operators read it. Devices follow only its start
 * ({@link #started}). Pure.
 */
public final class CentralPresence {
    /** Retained JSON, published by the central node and, as its Last Will, by the broker. */
    public static final String TOPIC = Topics.ROOT + "/status/central";
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    private CentralPresence() {
    }

    /** Published after every connect. */
    public static byte[] online(String clientId, String brokerUrl, long sinceMillis, long nowMillis) {
        Map<String, Object> m = base(ONLINE, clientId);
        m.put("broker", brokerUrl);
        m.put("since", sinceMillis);
        m.put("at", nowMillis);
        return PublishedJson.bytes(m);
    }

    /**
     * The Last Will, fixed at connect time: the broker publishes it, retained, when the node's
     * connection ends without a DISCONNECT (a crash, a network cut, a missed keep-alive).
     */
    public static byte[] lastWill(String clientId, long sinceMillis) {
        Map<String, Object> m = base(OFFLINE, clientId);
        m.put("reason", "last will");
        m.put("since", sinceMillis);
        return PublishedJson.bytes(m);
    }

    /**
     * Published once per process, on {@link Topics#CENTRAL_EVENTS} (not retained), after its first
     * connect: the devices say hello again, since the new process knows none of them.
     */
    public static byte[] started(String clientId, long sinceMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "started");
        m.put("mode", "client");
        m.put("client_id", clientId);
        m.put("at", sinceMillis);
        return PublishedJson.bytes(m);
    }

    /** Published by a node that stops on purpose, just before it disconnects. */
    public static byte[] stopped(String clientId, long nowMillis) {
        Map<String, Object> m = base(OFFLINE, clientId);
        m.put("reason", "stopped");
        m.put("at", nowMillis);
        return PublishedJson.bytes(m);
    }

    private static Map<String, Object> base(String state, String clientId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("mode", "client");
        m.put("client_id", clientId);
        return m;
    }
}
