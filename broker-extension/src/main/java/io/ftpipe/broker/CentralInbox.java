package io.ftpipe.broker;

/**
 * Where device messages reach the central node: every publish from a client to a
 * {@code ftpipe/v1/devices/...} topic or to a {@code ftpipe/v1/jobs/{job}/progress} topic.
 *
 * <p>Called on HiveMQ's extension threads while the publish is being intercepted, so an
 * implementation must return quickly (hand work to its own executor): a slow inbox delays every
 * publish of that client. Exceptions are logged and swallowed; the publish is delivered anyway.
 */
public interface CentralInbox {

    /**
     * @param clientId the MQTT client id of the publisher (which a device should set to its
     *                 device id, but the central node must not assume so)
     * @param topic    the topic as published
     * @param payload  a private copy of the payload; the receiver owns it
     */
    void onDeviceMessage(String clientId, String topic, byte[] payload);
}
