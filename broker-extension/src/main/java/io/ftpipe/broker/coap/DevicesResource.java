package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.protocol.Message;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/** {@code GET /devices}: every device that ever joined, alive or not; {@code /devices/{id}} is one. */
final class DevicesResource extends CoapResource {
    private final DeviceRegistry registry;
    private final long heartbeatTimeoutMillis;
    private final KnownJobs jobs;
    private final LongSupplier clock;
    private final RequestRejections rejections;

    DevicesResource(DeviceRegistry registry, long heartbeatTimeoutMillis, KnownJobs jobs, LongSupplier clock,
                    RequestRejections rejections) {
        super("devices");
        this.registry = registry;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
        this.jobs = jobs;
        this.clock = clock;
        this.rejections = rejections;
        getAttributes().setTitle("devices known to the central node");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        List<String> alive = registry.alive(heartbeatTimeoutMillis);
        long now = clock.getAsLong();
        ArrayNode list = ManagementJson.MAPPER.createArrayNode();
        registry.all().stream().sorted(Comparator.comparing(DeviceRegistry.Device::id))
                .forEach(d -> list.add(view(d, alive, now)));
        Replies.json(exchange, ResponseCode.CONTENT, list);
    }

    /** Devices come and go all the time: one is looked up per request rather than kept as a child. */
    @Override
    public Resource getChild(String name) {
        return new DeviceResource(name, this, rejections);
    }

    /** The device's view, if it ever joined. */
    Optional<ObjectNode> view(String id) {
        return registry.get(id).map(d -> view(d, registry.alive(heartbeatTimeoutMillis), clock.getAsLong()));
    }

    private ObjectNode view(DeviceRegistry.Device d, List<String> alive, long now) {
        Message.Heartbeat h = d.lastHeartbeat();
        Optional<JsonNode> capacity = h == null || h.activity().job() == null
                ? Optional.empty() : jobs.capacity(h.activity().job(), d.id());
        return ManagementJson.device(d, alive.contains(d.id()), now, capacity);
    }
}
