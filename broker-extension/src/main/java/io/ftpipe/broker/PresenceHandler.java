package io.ftpipe.broker;

/**
 * Connection events per MQTT client id, from the broker's view of the TCP connection. This is the
 * fast half of failure detection; application heartbeats catch a device that hangs with its socket
 * up (docs/design.md).
 *
 * <p>Called on HiveMQ's extension threads; must return quickly. A client that reconnects with the
 * same id (session takeover) produces {@code onDisconnect(id, false, "SESSION_TAKEN_OVER")} for
 * the old connection and {@code onConnect(id)} for the new one; do not rely on their order.
 */
public interface PresenceHandler {

    /** The client connected and was authenticated. */
    void onConnect(String clientId);

    /**
     * A DISCONNECT packet ended the connection.
     *
     * @param clientInitiated true when the client sent it, false when the broker did
     * @param reasonCode      the MQTT 5 reason code name (e.g. {@code NORMAL_DISCONNECTION},
     *                        {@code SESSION_TAKEN_OVER}), or "" when there was none (MQTT 3)
     */
    void onDisconnect(String clientId, boolean clientInitiated, String reasonCode);

    /** The connection ended without a DISCONNECT packet: socket closed, keep-alive expired. */
    void onConnectionLost(String clientId);
}
