package io.ftpipe.centralclient.mqtt;

import com.codahale.metrics.Counter;
import io.ftpipe.broker.CentralInbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands what the central node's subscriptions deliver to its {@link CentralInbox}, as the
 * extension's interceptor does: with the sender taken from the topic
 * ({@link CentralSubscriptions#sender}), and without the messages larger than the node takes.
 */
final class InboundRouter {
    private static final Logger LOG = LoggerFactory.getLogger(InboundRouter.class);

    private final CentralInbox inbox;
    private final int maxPayloadBytes;
    private final Counter oversizedMetric;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();

    /** @param oversizedMetric the central node's {@code ftpipe.rejected.oversized} */
    InboundRouter(CentralInbox inbox, int maxPayloadBytes, Counter oversizedMetric) {
        this.inbox = inbox;
        this.maxPayloadBytes = maxPayloadBytes;
        this.oversizedMetric = oversizedMetric;
    }

    void route(String topic, byte[] payload) {
        messages.incrementAndGet();
        bytes.addAndGet(payload.length);
        String sender = CentralSubscriptions.sender(topic);
        if (sender == null) {
            // A filter matched a topic the node does not read (a device id that is no topic level).
            ignored.incrementAndGet();
            LOG.debug("ignoring a message on '{}'", topic);
            return;
        }
        if (payload.length > maxPayloadBytes) {
            oversizedMetric.inc();
            LOG.warn("not handing {} bytes on '{}' to the central node (maxPayloadBytes {})", payload.length, topic,
                    maxPayloadBytes);
            return;
        }
        try {
            inbox.onDeviceMessage(sender, topic, payload);
        } catch (RuntimeException e) {
            LOG.error("central node failed on a message on '{}'", topic, e);
        }
    }

    long messages() {
        return messages.get();
    }

    long bytes() {
        return bytes.get();
    }

    long ignored() {
        return ignored.get();
    }
}
