package io.ftpipe.broker.mqtt;

import com.codahale.metrics.Counter;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.ftpipe.broker.CentralInbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies device-to-central publishes into the {@link CentralInbox} and lets every publish
 * continue unchanged, so other subscribers (monitoring tools, tests) still see them.
 *
 * <p>One instance serves all clients: it holds no per-client state.
 */
public final class DeviceMessageInterceptor implements PublishInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceMessageInterceptor.class);

    private final CentralInbox inbox;
    private final int maxPayloadBytes;
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Counter oversizedMetric;

    public DeviceMessageInterceptor(CentralInbox inbox, int maxPayloadBytes) {
        this(inbox, maxPayloadBytes, new Counter());
    }

    /**
     * @param oversizedMetric also counts the messages not handed over for their size: the
     *                        central node's {@code ftpipe.rejected.oversized}, as they are rejections too
     */
    public DeviceMessageInterceptor(CentralInbox inbox, int maxPayloadBytes, Counter oversizedMetric) {
        this.inbox = inbox;
        this.maxPayloadBytes = maxPayloadBytes;
        this.oversizedMetric = oversizedMetric;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        String topic = packet.getTopic();
        if (!CentralTopics.isForCentral(topic)) {
            return;
        }
        String clientId = input.getClientInformation().getClientId();
        ByteBuffer payload = packet.getPayload().orElse(null);
        int size = payload == null ? 0 : payload.remaining();
        if (size > maxPayloadBytes) {
            // The copy would be the central node's memory problem; the broker's own limit
            // (max-packet-size) still governs delivery to other subscribers.
            oversized.incrementAndGet();
            oversizedMetric.inc();
            LOG.warn("not handing {} bytes from '{}' on '{}' to the central node (maxPayloadBytes {})",
                    size, clientId, topic, maxPayloadBytes);
            return;
        }
        try {
            inbox.onDeviceMessage(clientId, topic, copy(payload, size));
        } catch (RuntimeException e) {
            // An exception escaping an interceptor makes HiveMQ drop the publish; a bug in the
            // central node must not silently eat device traffic.
            failed.incrementAndGet();
            LOG.error("central node failed on a message from '{}' on '{}'", clientId, topic, e);
        }
    }

    /**
     * The SDK's payload buffer is read-only (no {@code array()}), and it belongs to the broker,
     * which may reuse it after this call: the inbox gets its own bytes.
     */
    static byte[] copy(ByteBuffer payload, int size) {
        byte[] bytes = new byte[size];
        if (size > 0) {
            payload.duplicate().get(bytes);
        }
        return bytes;
    }

    /** Messages not handed over because they exceeded {@code maxPayloadBytes}. */
    public long oversized() {
        return oversized.get();
    }

    /** Messages whose handling threw. */
    public long failed() {
        return failed.get();
    }
}
