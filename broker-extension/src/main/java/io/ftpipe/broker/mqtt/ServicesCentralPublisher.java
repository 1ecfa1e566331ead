package io.ftpipe.broker.mqtt;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.ftpipe.broker.CentralPublisher;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@link CentralPublisher} over HiveMQ's {@link PublishService}. */
public final class ServicesCentralPublisher implements CentralPublisher {

    private final Supplier<PublishService> publishService;

    /**
     * @param publishService normally {@code Services::publishService}, looked up on every publish
     *                       (a map lookup): HiveMQ's services are static and are replaced when an
     *                       embedded broker is restarted in the same JVM
     */
    public ServicesCentralPublisher(Supplier<PublishService> publishService) {
        this.publishService = publishService;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos);
        }
        Publish publish = Builders.publish()
                .topic(topic)
                .qos(Qos.valueOf(qos))
                .retain(retain)
                // wrap, not copy: the contract says the caller leaves the array alone
                .payload(ByteBuffer.wrap(payload))
                .build();
        return publishService.get().publish(publish);
    }
}
