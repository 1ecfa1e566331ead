package io.ftpipe.centralclient.mqtt;

/**
 * The client-mode central node's traffic through its broker so far.
 *
 * @param publishWaits   publishes that waited for a slot under the broker's Receive Maximum, or for
 *                       a connection
 * @param connects       successful connects (the first, then one per reconnect)
 * @param receiveMaximum the broker's Receive Maximum in the latest CONNACK, 0 before any
 */
public record ConnectionStats(long received, long receivedBytes, long sent, long sentBytes, long refused,
                              long publishWaits, long connects, int receiveMaximum, boolean sessionPresent) {
}
