package io.ftpipe.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes from the central node to clients. An interface so the central logic can be tested
 * without a broker; {@link io.ftpipe.broker.mqtt.ServicesCentralPublisher} is the real one.
 *
 * <p>Messages published here do not pass the extension's inbound interceptors, so the central
 * node never receives its own commands back through {@link CentralInbox}.
 */
public interface CentralPublisher {

    /**
     * @param topic   a topic name (no wildcards)
     * @param payload the bytes to send; the caller must not change the array afterwards
     * @param qos     0, 1 or 2
     * @param retain  whether the broker keeps it as the topic's retained message
     * @return completes when the broker has accepted the message for delivery to the subscribers
     *         (not when they received it)
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain);
}
