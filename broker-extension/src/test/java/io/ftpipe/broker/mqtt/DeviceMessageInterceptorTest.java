package io.ftpipe.broker.mqtt;

import com.hivemq.extension.sdk.api.client.parameter.ClientInformation;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.ftpipe.broker.RecordingCentralNode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The interceptor alone, against proxies of the SDK interfaces it reads. */
class DeviceMessageInterceptorTest {

    private final RecordingCentralNode node = new RecordingCentralNode();
    /** Every call on the output: the interceptor must never touch it (the publish continues). */
    private final List<String> outputCalls = new ArrayList<>();
    private final PublishInboundOutput output = (PublishInboundOutput) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[]{PublishInboundOutput.class},
            (proxy, method, args) -> {
                outputCalls.add(method.getName());
                return null;
            });

    @Test
    void handsOverAPrivateCopyOfTheReadOnlyPayload() {
        byte[] original = {1, 2, 3};
        new DeviceMessageInterceptor(node, 100)
                .onInboundPublish(input("d1", "ftpipe/v1/devices/d1/reply", ByteBuffer.wrap(original).asReadOnlyBuffer()),
                        output);
        assertEquals(1, node.messages.size());
        assertEquals("d1", node.messages.get(0).clientId());
        assertArrayEquals(original, node.messages.get(0).payload());
        assertEquals(List.of(), outputCalls);
    }

    @Test
    void emptyPublishIsAnEmptyPayload() {
        new DeviceMessageInterceptor(node, 100).onInboundPublish(input("d1", "ftpipe/v1/devices/d1/hello", null), output);
        assertEquals(0, node.messages.get(0).payload().length);
    }

    @Test
    void ignoresStageTraffic() {
        new DeviceMessageInterceptor(node, 100)
                .onInboundPublish(input("d1", "ftpipe/v1/jobs/j/stages/1/forward", ByteBuffer.allocate(8)), output);
        assertEquals(List.of(), node.messages);
    }

    @Test
    void oversizedPayloadsAreCountedNotHandedOver() {
        com.codahale.metrics.Counter metric = new com.codahale.metrics.Counter();
        DeviceMessageInterceptor interceptor = new DeviceMessageInterceptor(node, 4, metric);
        interceptor.onInboundPublish(input("d1", "ftpipe/v1/devices/d1/reply", ByteBuffer.allocate(5)), output);
        interceptor.onInboundPublish(input("d1", "ftpipe/v1/devices/d1/reply", ByteBuffer.allocate(4)), output);
        assertEquals(1, interceptor.oversized());
        assertEquals(1, metric.getCount(), "ftpipe.rejected.oversized counts them too");
        assertEquals(1, node.messages.size());
        assertEquals(List.of(), outputCalls);
    }

    @Test
    void aFailingInboxDoesNotStopThePublish() {
        DeviceMessageInterceptor interceptor = new DeviceMessageInterceptor((clientId, topic, payload) -> {
            throw new IllegalStateException("bug in the central node");
        }, 100);
        interceptor.onInboundPublish(input("d1", "ftpipe/v1/jobs/j/progress", ByteBuffer.allocate(1)), output);
        assertEquals(1, interceptor.failed());
        assertEquals(List.of(), outputCalls);
    }

    private static PublishInboundInput input(String clientId, String topic, ByteBuffer payload) {
        PublishPacket packet = proxy(PublishPacket.class, name -> switch (name) {
            case "getTopic" -> topic;
            case "getPayload" -> Optional.ofNullable(payload);
            default -> throw new UnsupportedOperationException(name);
        });
        ClientInformation client = proxy(ClientInformation.class, name -> clientId);
        return proxy(PublishInboundInput.class, name -> switch (name) {
            case "getPublishPacket" -> packet;
            case "getClientInformation" -> client;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private static <T> T proxy(Class<T> type, java.util.function.Function<String, Object> answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (p, method, args) -> answer.apply(method.getName())));
    }
}
