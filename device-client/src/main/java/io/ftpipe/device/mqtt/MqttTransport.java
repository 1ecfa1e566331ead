package io.ftpipe.device.mqtt;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics and byte payloads over one MQTT 5 connection (Eclipse Paho), with what Paho leaves out:
 * back-pressure below the server's Receive Maximum, subscriptions that survive reconnects,
 * handlers off Paho's threads, TCP_NODELAY, a payload limit and counters.
 *
 * <p>The first connect starts a clean session; reconnects resume it ({@link ConnectionSettings}),
 * so QoS 1 messages the broker queued meanwhile are delivered. The pipeline still recovers at its
 * own level (terms and replays from the central node): a reconnect during a term is a failure.
 *
 * <p>Thread-safe. Handlers run one at a time on the transport's handler thread and may publish,
 * subscribe and unsubscribe.
 */
public final class MqttTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);

    /** How long a graceful close lets queued publishes reach the broker. */
    private static final long QUIESCE_MILLIS = 2000;
    /** Pause before retrying a publish that Paho refused for a passing reason. */
    private static final long RETRY_PAUSE_MILLIS = 2;
    private static final String SHARED_PREFIX = "$share/";

    private final TransportOptions options;
    private final AutoReconnectClient client;
    private final TransportCounters counters = new TransportCounters();
    private final Subscriptions subscriptions = new Subscriptions();
    private final PublishWindow window = new PublishWindow();
    private final InboundDispatcher dispatcher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PahoEvents events;

    private MqttTransport(TransportOptions options, AutoReconnectClient client) {
        this.options = options;
        this.client = client;
        this.dispatcher = new InboundDispatcher(options.clientId(), subscriptions, counters);
        this.events = new PahoEvents(options.clientId(), client, window, counters, subscriptions, dispatcher,
                closed::get);
        client.setCallback(events);
    }

    /**
     * Connects, waiting up to the connect timeout. Later connection losses are repaired
     * automatically; this first connect is not retried.
     *
     * @throws TransportException if the broker cannot be reached or refuses the connection
     */
    public static MqttTransport connect(TransportOptions options) {
        PahoDecoding.warnIfSlow();
        MqttTransport transport;
        try {
            transport = new MqttTransport(options, new AutoReconnectClient(options.brokerUrl(), options.clientId()));
        } catch (MqttException | IllegalArgumentException e) {
            throw new TransportException("cannot create an MQTT client for " + options.brokerUrl() + ": "
                    + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        try {
            MqttConnectionOptions settings = ConnectionSettings.of(options);
            transport.client.connect(settings).waitForCompletion(options.connectTimeout().toMillis());
            ConnectionSettings.resumingSessions(settings);
            // The token completes a moment before Paho reports connectComplete, which opens the window.
            transport.window.awaitOpen(deadline);
        } catch (MqttException e) {
            transport.close();
            throw new TransportException("cannot connect to " + options.brokerUrl() + " as '" + options.clientId()
                    + "' within " + options.connectTimeout().toSeconds() + " s: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            transport.close();
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while connecting to " + options.brokerUrl(), e);
        } catch (TransportException e) {
            // A truststore that cannot be read.
            transport.close();
            throw e;
        }
        LOG.info("'{}' connected to {} (server Receive Maximum {})", options.clientId(), options.brokerUrl(),
                transport.client.serverReceiveMaximum());
        return transport;
    }

    /**
     * Hands a message to the client library. QoS 1/2 publishes block while the server's Receive
     * Maximum worth of messages is unacknowledged; every publish blocks while disconnected. The
     * payload array is sent as is: do not change it afterwards.
     *
     * @throws IllegalArgumentException if the payload exceeds the configured limit
     * @throws TransportException       if the publish timeout passes first, or the transport is closed
     */
    public void publish(String topic, byte[] payload, int qos, boolean retained) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Qos.check(qos);
        if (payload.length > options.maxPayloadBytes()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes for " + topic
                    + " exceeds maxPayloadBytes=" + options.maxPayloadBytes() + "; split it into chunks");
        }
        long deadline = System.nanoTime() + options.publishTimeout().toNanos();
        boolean waited = false;
        try {
            while (true) {
                PublishWindow.Permit permit = acquire(topic, qos, payload.length, deadline);
                waited |= permit.waited();
                try {
                    client.publish(topic, payload, qos, retained, permit, null);
                    counters.sent(payload.length);
                    return;
                } catch (MqttException e) {
                    permit.release();
                    if (!ReasonCodes.passing(e.getReasonCode())) {
                        throw new TransportException("publish to " + topic + " failed: " + e.getMessage(), e);
                    }
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while publishing to " + topic, e);
        } finally {
            if (waited) {
                counters.publishWaited();
            }
        }
    }

    private PublishWindow.Permit acquire(String topic, int qos, int bytes, long deadline)
            throws InterruptedException {
        try {
            return window.acquire(qos, bytes, deadline);
        } catch (TransportException e) {
            throw new TransportException("publish to " + topic + " gave up after "
                    + options.publishTimeout().toSeconds() + " s: " + e.getMessage(), e);
        }
    }

    /**
     * {@link System#nanoTime()} when the message whose handler runs now arrived, before it queued
     * behind the handlers of earlier messages. Call from a handler.
     */
    public long arrivedNanos() {
        return dispatcher.arrivedNanos();
    }

    /**
     * Delivers messages matching {@code topicFilter} to {@code handler} (replacing an earlier
     * handler of the same filter). Waits for the broker's acknowledgement when connected; when
     * not, the subscription is made on reconnect. Overlapping filters each get the message.
     * Shared subscriptions ({@code $share/...}) are not supported.
     *
     * @throws IllegalArgumentException if the filter is malformed or shared
     * @throws TransportException       if the broker refuses the subscription
     */
    public void subscribe(String topicFilter, int qos, BiConsumer<String, byte[]> handler) {
        Objects.requireNonNull(handler, "handler");
        MqttTopicValidator.validate(topicFilter, true, false);
        if (topicFilter.startsWith(SHARED_PREFIX)) {
            // Paho's validator lets it through, but delivery matches topics against plain filters.
            throw new IllegalArgumentException("shared subscriptions are not supported: " + topicFilter);
        }
        Qos.check(qos);
        checkOpen();
        subscriptions.put(topicFilter, qos, handler);
        if (!client.isConnected()) {
            LOG.info("not connected: {} will be subscribed on reconnect", topicFilter);
            return;
        }
        try {
            IMqttToken token = client.subscribe(new MqttSubscription(topicFilter, qos));
            token.waitForCompletion(options.connectTimeout().toMillis());
            int code = token.getReasonCodes()[0];
            if (ReasonCodes.failure(code)) {
                subscriptions.remove(topicFilter);
                throw new TransportException("broker refused the subscription to " + topicFilter
                        + " (reason code " + ReasonCodes.hex(code) + ")");
            }
        } catch (MqttException e) {
            if (ReasonCodes.passing(e.getReasonCode())) {
                LOG.info("connection lost while subscribing to {}; renewed on reconnect", topicFilter);
                return;
            }
            subscriptions.remove(topicFilter);
            throw new TransportException("subscribe to " + topicFilter + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops deliveries for {@code topicFilter}; messages already queued for it are dropped. */
    public void unsubscribe(String topicFilter) {
        subscriptions.remove(topicFilter);
        if (!client.isConnected()) {
            return;
        }
        try {
            client.unsubscribe(topicFilter).waitForCompletion(options.connectTimeout().toMillis());
        } catch (MqttException e) {
            if (!ReasonCodes.passing(e.getReasonCode())) {
                throw new TransportException("unsubscribe from " + topicFilter + " failed: " + e.getMessage(), e);
            }
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public String clientId() {
        return options.clientId();
    }

    /** The Receive Maximum of the latest CONNACK (65535 if the broker sent none). */
    public int serverReceiveMaximum() {
        return client.serverReceiveMaximum();
    }

    public TransportStats stats() {
        return counters.snapshot();
    }

    /**
     * Disconnects cleanly (so the broker does not publish the will), giving queued publishes a
     * moment to leave, then stops the handler thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        window.close();
        try {
            client.stopReconnecting(System.nanoTime() + options.connectTimeout().toNanos());
            if (client.isConnected()) {
                client.disconnect(QUIESCE_MILLIS).waitForCompletion(options.connectTimeout().toMillis());
            }
        } catch (MqttException e) {
            LOG.debug("disconnect of {} failed; closing anyway", options.clientId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("close of {} failed", options.clientId(), e);
        }
        dispatcher.close();
        LOG.info("'{}' closed; {}", options.clientId(), stats());
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new TransportException("transport '" + options.clientId() + "' is closed");
        }
    }

    /**
     * Runs {@code hook} after every automatic reconnect, once subscriptions are renewed and
     * publishes go through again: the broker on the other side may have restarted and forgotten
     * everything it knew of this client. Runs on Paho's callback thread: hand long work elsewhere.
     */
    public void onReconnect(Runnable hook) {
        events.onReconnect(hook);
    }
}
