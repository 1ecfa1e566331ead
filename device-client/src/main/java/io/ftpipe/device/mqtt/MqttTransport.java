package io.ftpipe.device.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * Topics and byte payloads over one MQTT 5 connection (Eclipse Paho), with what Paho leaves out:
 * back-pressure below the server's Receive Maximum, subscriptions that survive reconnects,
 * handlers off Paho's threads, TCP_NODELAY, a payload limit and counters.
 *
 * <p>Sessions are clean (clean start, expiry 0): after a reconnect nothing old is replayed, and
 * QoS 1/2 messages that were in flight when the connection dropped are lost. The pipeline
 * recovers at its own level (terms and replays from the central node).
 *
 * <p>Thread-safe. Handlers run one at a time on the transport's handler thread and may publish,
 * subscribe and unsubscribe.
 */
public final class MqttTransport implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MqttTransport.class.getName());

    /** The broker notices a silent device, and publishes its will, within 1.5 × this. */
    private static final int KEEP_ALIVE_SECONDS = 10;
    /**
     * Paho 1.2.5 ignores {@code setAutomaticReconnectDelay}; it doubles a delay starting at 1 s
     * while the delay is below this bound, so 1 s × a power of two makes it the exact cap: after
     * the first half minute of fast retries ({@link AutoReconnectClient}), a device still tries once
     * a second, which costs it nothing worth saving.
     */
    private static final int MAX_RECONNECT_DELAY_MILLIS = 1000;
    /** How long a graceful close lets queued publishes reach the broker. */
    private static final long QUIESCE_MILLIS = 2000;
    /** Pause before retrying a publish that Paho refused for a passing reason. */
    private static final long RETRY_PAUSE_MILLIS = 2;
    /** Paho refusals that clear by themselves: window race, or a disconnect not yet reported. */
    private static final Set<Integer> TRANSIENT = Set.of(
            (int) MqttClientException.REASON_CODE_MAX_INFLIGHT,
            (int) MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
            (int) MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
            (int) MqttClientException.REASON_CODE_CONNECTION_LOST);
    private static final int FIRST_FAILURE_REASON_CODE = 0x80;
    private static final String SHARED_PREFIX = "$share/";

    private final TransportOptions options;
    private final AutoReconnectClient client;
    private final TransportCounters counters = new TransportCounters();
    private final Subscriptions subscriptions = new Subscriptions();
    private final PublishWindow window = new PublishWindow();
    private final InboundDispatcher dispatcher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable onReconnect = () -> { };

    private MqttTransport(TransportOptions options, AutoReconnectClient client) {
        this.options = options;
        this.client = client;
        this.dispatcher = new InboundDispatcher(options.clientId(), subscriptions, counters);
        client.setCallback(new PahoEvents());
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
            transport.client.connect(transport.connectionOptions())
                    .waitForCompletion(options.connectTimeout().toMillis());
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
        LOG.info(() -> "'" + options.clientId() + "' connected to " + options.brokerUrl()
                + " (server Receive Maximum " + transport.client.serverReceiveMaximum() + ")");
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
                PublishWindow.Permit permit = acquire(topic, qos, deadline);
                waited |= permit.waited();
                try {
                    client.publish(topic, payload, qos, retained, permit, null);
                    counters.sent(payload.length);
                    return;
                } catch (MqttException e) {
                    permit.release();
                    if (!TRANSIENT.contains(e.getReasonCode())) {
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

    private PublishWindow.Permit acquire(String topic, int qos, long deadline) throws InterruptedException {
        try {
            return window.acquire(qos, deadline);
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
            LOG.info(() -> "not connected: " + topicFilter + " will be subscribed on reconnect");
            return;
        }
        try {
            IMqttToken token = client.subscribe(new MqttSubscription(topicFilter, qos));
            token.waitForCompletion(options.connectTimeout().toMillis());
            int code = token.getReasonCodes()[0];
            if (code >= FIRST_FAILURE_REASON_CODE) {
                subscriptions.remove(topicFilter);
                throw new TransportException("broker refused the subscription to " + topicFilter
                        + " (reason code 0x" + Integer.toHexString(code) + ")");
            }
        } catch (MqttException e) {
            if (TRANSIENT.contains(e.getReasonCode())) {
                LOG.info(() -> "connection lost while subscribing to " + topicFilter + "; renewed on reconnect");
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
            if (!TRANSIENT.contains(e.getReasonCode())) {
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
            LOG.log(Level.FINE, "disconnect of " + options.clientId() + " failed; closing anyway", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.log(Level.FINE, "close of " + options.clientId() + " failed", e);
        }
        dispatcher.close();
        LOG.info(() -> "'" + options.clientId() + "' closed; " + stats());
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new TransportException("transport '" + options.clientId() + "' is closed");
        }
    }

    private MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MILLIS);
        o.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        o.setConnectionTimeout((int) Math.max(1, options.connectTimeout().toSeconds()));
        if (TransportOptions.isTls(options.brokerUrl())) {
            o.setSocketFactory(TlsTrust.socketFactory(options.truststore(), options.truststorePassword()));
            // Paho's default, stated: the certificate must name the host in the broker URL.
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        if (options.username() != null) {
            o.setUserName(options.username());
        }
        if (options.password() != null) {
            o.setPassword(options.password().getBytes(StandardCharsets.UTF_8));
        }
        LastWill will = options.lastWill();
        if (will != null) {
            MqttMessage message = new MqttMessage(will.payload(), will.qos(), will.retained(), new MqttProperties());
            o.setWill(will.topic(), message);
        }
        return o;
    }

    /**
     * Runs {@code hook} after every automatic reconnect, once subscriptions are renewed and
     * publishes go through again: the broker on the other side may have restarted and forgotten
     * everything it knew of this client. Runs on Paho's callback thread: hand long work elsewhere.
     */
    public void onReconnect(Runnable hook) {
        this.onReconnect = Objects.requireNonNull(hook, "hook");
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
                LOG.log(Level.WARNING, "renewing " + all.length + " subscriptions failed", e);
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
            if (codes[i] >= FIRST_FAILURE_REASON_CODE) {
                LOG.severe("broker refused renewed subscription to " + asked[i].getTopic()
                        + " (reason code 0x" + Integer.toHexString(codes[i]) + ")");
            }
        }
    }

    /** Paho's callbacks: all run on Paho's callback thread, so each returns quickly. */
    private final class PahoEvents implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            long epoch = window.epoch();
            int receiveMaximum = client.serverReceiveMaximum();
            if (!reconnect) {
                window.open(epoch, receiveMaximum);
                return;
            }
            counters.reconnected();
            LOG.info(() -> "'" + options.clientId() + "' reconnected to " + serverUri);
            renewSubscriptions(epoch, receiveMaximum);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            window.lost();
            if (!closed.get()) {
                client.retrySoon();
                LOG.warning(() -> "'" + options.clientId() + "' lost its connection (" + describe(response)
                        + "); reconnecting");
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
            if (codes != null && codes.length > 0 && codes[0] >= FIRST_FAILURE_REASON_CODE) {
                LOG.warning(() -> "broker rejected a publish to " + Arrays.toString(token.getTopics())
                        + " (reason code 0x" + Integer.toHexString(codes[0]) + ")");
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.log(Level.WARNING, "MQTT protocol error on '" + options.clientId() + "'", e);
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication is used.
        }

        private String describe(MqttDisconnectResponse response) {
            if (response.getException() != null) {
                return response.getException().getMessage();
            }
            return "broker sent DISCONNECT, reason code 0x" + Integer.toHexString(response.getReturnCode())
                    + (response.getReasonString() == null ? "" : ": " + response.getReasonString());
        }
    }
}
