package io.ftpipe.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A central node that only logs and counts. It is what the drop-in runs until the real central
 * node is wired in, and it proves the broker-side plumbing on its own.
 */
public final class LoggingCentralNode implements CentralNode {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingCentralNode.class);

    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong payloadBytes = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong connectionsLost = new AtomicLong();

    @Override
    public void onDeviceMessage(String clientId, String topic, byte[] payload) {
        messages.incrementAndGet();
        payloadBytes.addAndGet(payload.length);
        LOG.debug("device message from '{}' on '{}' ({} bytes)", clientId, topic, payload.length);
    }

    @Override
    public void onConnect(String clientId) {
        connects.incrementAndGet();
        LOG.info("client '{}' connected", clientId);
    }

    @Override
    public void onDisconnect(String clientId, boolean clientInitiated, String reasonCode) {
        disconnects.incrementAndGet();
        LOG.info("client '{}' disconnected by the {} ({})", clientId, clientInitiated ? "client" : "broker",
                reasonCode);
    }

    @Override
    public void onConnectionLost(String clientId) {
        connectionsLost.incrementAndGet();
        LOG.info("client '{}' lost its connection", clientId);
    }

    @Override
    public void close() {
        LOG.info("central node (logging only) closing: {} device messages ({} bytes), {} connects, "
                        + "{} disconnects, {} connections lost",
                messages.get(), payloadBytes.get(), connects.get(), disconnects.get(), connectionsLost.get());
    }

    public long messages() {
        return messages.get();
    }

    public long payloadBytes() {
        return payloadBytes.get();
    }

    public long connects() {
        return connects.get();
    }

    public long disconnects() {
        return disconnects.get();
    }

    public long connectionsLost() {
        return connectionsLost.get();
    }
}
