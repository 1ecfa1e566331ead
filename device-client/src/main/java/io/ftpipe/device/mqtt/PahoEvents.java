package io.ftpipe.device.mqtt;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paho's callbacks for one {@link MqttTransport}: the publish window opened, lost and reopened
 * with the connection, subscriptions renewed after a reconnect, arrivals handed to the dispatcher.
 * All run on Paho's callback thread, so each returns quickly.
 */
final class PahoEvents implements MqttCallback {
    private static final Logger LOG = LoggerFactory.getLogger(PahoEvents.class);

    private final String clientId;
    private final AutoReconnectClient client;
    private final PublishWindow window;
    private final TransportCounters counters;
    private final Subscriptions subscriptions;
    private final InboundDispatcher dispatcher;
    private final BooleanSupplier closed;
    private volatile Runnable onReconnect = () -> { };

    PahoEvents(String clientId, AutoReconnectClient client, PublishWindow window, TransportCounters counters,
               Subscriptions subscriptions, InboundDispatcher dispatcher, BooleanSupplier closed) {
        this.clientId = clientId;
        this.client = client;
        this.window = window;
        this.counters = counters;
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
        this.closed = closed;
    }

    /** See {@link MqttTransport#onReconnect(Runnable)}. */
    void onReconnect(Runnable hook) {
        this.onReconnect = Objects.requireNonNull(hook, "hook");
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        long epoch = window.epoch();
        int receiveMaximum = client.serverReceiveMaximum();
        if (!reconnect) {
            window.open(epoch, receiveMaximum);
            return;
        }
        counters.reconnected();
        LOG.info("'{}' reconnected to {}", clientId, serverUri);
        renewSubscriptions(epoch, receiveMaximum);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        window.lost();
        if (!closed.getAsBoolean()) {
            client.retrySoon();
            LOG.warn("'{}' lost its connection ({}); reconnecting", clientId, describe(response));
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        byte[] payload = message.getPayload();
        counters.received(payload.length);
        dispatcher.dispatch(topic, payload);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        if (token.getUserContext() instanceof PublishWindow.Permit permit) {
            permit.release();
        }
        int[] codes = token.getReasonCodes();
        if (codes != null && codes.length > 0 && ReasonCodes.failure(codes[0])) {
            LOG.warn("broker rejected a publish to {} (reason code {})", Arrays.toString(token.getTopics()),
                    ReasonCodes.hex(codes[0]));
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
        LOG.warn("MQTT protocol error on '{}'", clientId, e);
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication is used.
    }

    /**
     * Renews every subscription after a reconnect and only then lets publishes through again, so
     * a reply to anything published after the reconnect cannot arrive before its subscription.
     */
    private void renewSubscriptions(long epoch, int receiveMaximum) {
        MqttSubscription[] all = subscriptions.all();
        if (all.length == 0) {
            reopen(epoch, receiveMaximum);
            return;
        }
        // Asynchronous: this runs on Paho's callback thread, which must not wait for the SUBACK.
        MqttActionListener renewed = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                logRefusals(all, token.getReasonCodes());
                reopen(epoch, receiveMaximum);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                LOG.warn("renewing {} subscriptions failed", all.length, e);
                reopen(epoch, receiveMaximum);
            }
        };
        try {
            client.subscribe(all, null, renewed, new MqttProperties());
        } catch (MqttException e) {
            renewed.onFailure(null, e);
        }
    }

    private void reopen(long epoch, int receiveMaximum) {
        window.open(epoch, receiveMaximum);
        onReconnect.run();
    }

    private static void logRefusals(MqttSubscription[] asked, int[] codes) {
        for (int i = 0; i < asked.length && i < codes.length; i++) {
            if (ReasonCodes.failure(codes[i])) {
                LOG.error("broker refused renewed subscription to {} (reason code {})", asked[i].getTopic(),
                        ReasonCodes.hex(codes[i]));
            }
        }
    }

    private static String describe(MqttDisconnectResponse response) {
        if (response.getException() != null) {
            return response.getException().getMessage();
        }
        return "broker sent DISCONNECT, reason code " + ReasonCodes.hex(response.getReturnCode())
                + (response.getReasonString() == null ? "" : ": " + response.getReasonString());
    }
}
