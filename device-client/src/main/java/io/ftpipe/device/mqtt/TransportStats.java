package io.ftpipe.device.mqtt;

/**
 * A snapshot of a transport's counters since it was created.
 *
 * @param messagesSent     publishes handed to the client library
 * @param bytesSent        payload bytes of those publishes
 * @param messagesReceived messages that arrived on any subscription
 * @param bytesReceived    payload bytes of those messages
 * @param reconnects       successful automatic reconnects
 * @param publishWaits     publishes that had to wait: window full or not connected
 * @param handlerFailures  handler invocations that threw
 */
public record TransportStats(long messagesSent, long bytesSent, long messagesReceived, long bytesReceived,
                             long reconnects, long publishWaits, long handlerFailures) {
}
