package io.ftpipe.broker.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** {@code GET /devices/{id}}: one device, or 4.04 if no device of that id ever joined. */
final class DeviceResource extends CoapResource {
    private final DevicesResource devices;
    private final RequestRejections rejections;

    DeviceResource(String id, DevicesResource devices, RequestRejections rejections) {
        super(id, false);
        this.devices = devices;
        this.rejections = rejections;
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        devices.view(getName()).ifPresentOrElse(view -> Replies.json(exchange, ResponseCode.CONTENT, view),
                () -> rejections.reject(exchange, ResponseCode.NOT_FOUND, RequestRejections.UNKNOWN_DEVICE,
                        "unknown device '" + getName() + "'"));
    }
}
