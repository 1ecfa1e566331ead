package io.ftpipe.centralclient.mqtt;

import com.codahale.metrics.Counter;
import io.ftpipe.broker.CentralInbox;
import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.centralclient.CentralPresence;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The client-mode central node's one MQTT v5 connection (Eclipse Paho): it publishes for the node
 * ({@link CentralPublisher}), under the broker's Receive Maximum ({@link PublishPermits}), and hands
 * what the node's subscriptions deliver to its inbox ({@link InboundRouter}). The session is
 * persistent; after a lost connection it connects again (every {@value #FAST_RETRY_MILLIS} ms for
 * half a minute, then every second), subscribes again in case the broker forgot the session, and
 * says it is online again.
 */
public final class CentralConnection implements CentralPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CentralConnection.class);
    /** As long as the central node waits for the broker to take a command ({@code TermControl}). */
    static final long PUBLISH_TIMEOUT_MILLIS = 30_000;
    static final long FAST_RETRY_MILLIS = 250;
    static final long FAST_RETRY_WINDOW_MILLIS = 30_000;
    static final long SLOW_RETRY_MILLIS = 1_000;
    private static final long RETRY_PAUSE_MILLIS = 2;
    private static final long QUIESCE_MILLIS = 2_000;

    private final BrokerConnection settings;
    private final MqttAsyncClient client;
    private final PublishPermits permits = new PublishPermits();
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ftpipe-central-reconnect");
        t.setDaemon(true);
        return t;
    });
    private final long sinceMillis = System.currentTimeMillis();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private volatile InboundRouter router;
    /** While {@link #readRetained} waits: where the broker's own topics go. */
    private volatile BiConsumer<String, byte[]> retained;
    /** Topics of the broker's own services the node subscribes to, and who takes their messages. */
    private final Map<String, BiConsumer<String, byte[]>> services = new ConcurrentHashMap<>();
    private volatile ConnAck connAck;
    private volatile long lostAtMillis;
    private volatile boolean closed;

    private CentralConnection(BrokerConnection settings) throws MqttException {
        this.settings = settings;
        // MemoryPersistence: Paho's default writes every QoS 1 message to disk.
        this.client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        client.setCallback(new Events());
    }

    /** A connection not yet made: publishes wait for {@link #connect}. */
    public static CentralConnection create(BrokerConnection settings) {
        try {
            return new CentralConnection(settings);
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + settings.brokerUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Connects, subscribes to the device topics and says the node is online; later losses are
     * repaired on their own. Messages the broker kept for the node arrive at once, so the node must
     * be ready for them.
     *
     * @param oversized counts what is not handed over for its size ({@code ftpipe.rejected.oversized})
     * @throws IOException if the broker cannot be reached, refuses the connection or a subscription
     */
    public void connect(CentralInbox inbox, int maxPayloadBytes, Counter oversized) throws IOException {
        router = new InboundRouter(inbox, maxPayloadBytes, oversized);
        try {
            connectOnce();
        } catch (MqttException e) {
            throw new IOException("cannot connect to " + settings + ": " + e.getMessage(), e);
        }
    }

    private void connectOnce() throws MqttException, IOException {
        IMqttToken token = client.connect(ConnectOptions.of(settings, sinceMillis));
        token.waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
        ConnAck ack = ConnAck.of(token);
        connAck = ack;
        boolean first = connects.incrementAndGet() == 1;
        permits.open(ack.receiveMaximum());
        CentralTopicsSubscriber.subscribe(client, settings.connectTimeoutSeconds());
        for (String topic : services.keySet()) {
            subscribeServiceTopic(topic);
        }
        publish(CentralPresence.TOPIC, CentralPresence.online(settings.clientId(), settings.brokerUrl(), sinceMillis,
                System.currentTimeMillis()), 1, true);
        if (first) {
            // Subscribed first: the hellos this calls for must find the subscription there.
            publish(Topics.CENTRAL_EVENTS, CentralPresence.started(settings.clientId(), sinceMillis), 1, false);
        }
        LOG.info("central node connected to {} (session {}, server Receive Maximum {})", settings,
                ack.sessionPresent() ? "resumed" : "new", ack.receiveMaximum());
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUBLISH_TIMEOUT_MILLIS);
        try {
            while (true) {
                PublishPermits.Permit permit = permits.acquire(qos, deadline);
                try {
                    client.publish(topic, payload, qos, retain, null, new Acknowledged(topic, payload.length, permit,
                            done));
                    return done;
                } catch (MqttException e) {
                    permit.release();
                    if (!PahoCodes.passing(e.getReasonCode())) {
                        done.completeExceptionally(new IOException("publish to " + topic + " failed: " + e, e));
                        return done;
                    }
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                }
            }
        } catch (TimeoutException | IllegalStateException e) {
            done.completeExceptionally(new IOException("publish to " + topic + " gave up: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Gives the publish's permit back and completes its future when the broker has it. */
    private final class Acknowledged implements MqttActionListener {
        private final String topic;
        private final int bytes;
        private final PublishPermits.Permit permit;
        private final CompletableFuture<Void> done;

        Acknowledged(String topic, int bytes, PublishPermits.Permit permit, CompletableFuture<Void> done) {
            this.topic = topic;
            this.bytes = bytes;
            this.permit = permit;
            this.done = done;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            permit.release();
            int[] codes = token.getReasonCodes();
            int code = codes == null || codes.length == 0 ? 0 : codes[0];
            if (code >= PahoCodes.FIRST_FAILURE) {
                // Mosquitto answers a publish its ACLs deny with 0x87 and drops it.
                refused.incrementAndGet();
                done.completeExceptionally(new IOException("the broker refused the publish to " + topic + " ("
                        + PahoCodes.hex(code) + ")"));
                return;
            }
            sent.incrementAndGet();
            sentBytes.addAndGet(bytes);
            done.complete(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            permit.release();
            done.completeExceptionally(new IOException("publish to " + topic + " failed: " + e, e));
        }
    }

    /** Paho's callbacks: deliveries, and a lost connection to repair. */
    private final class Events implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            BiConsumer<String, byte[]> service = services.get(topic);
            if (service != null) {
                service.accept(topic, message.getPayload());
                return;
            }
            BiConsumer<String, byte[]> sink = retained;
            if (sink != null && topic.startsWith("$")) {
                sink.accept(topic, message.getPayload());
                return;
            }
            InboundRouter r = router;
            if (r != null) {
                r.route(topic, message.getPayload());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            permits.lost();
            if (closed) {
                return;
            }
            lostAtMillis = System.currentTimeMillis();
            LOG.warn("central node lost its connection to {}: {}; connecting again", settings.brokerUrl(),
                    PahoCodes.describe(response));
            reconnects.schedule(CentralConnection.this::reconnect, FAST_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.warn("MQTT error on the central node's connection: {}", e.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Publishes are followed through their own listeners.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // Handled where connect returns: the CONNACK's properties are on its token.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }

    private void reconnect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            connectOnce();
        } catch (MqttException | IOException | RuntimeException e) {
            long down = System.currentTimeMillis() - lostAtMillis;
            long delay = down < FAST_RETRY_WINDOW_MILLIS ? FAST_RETRY_MILLIS : SLOW_RETRY_MILLIS;
            LOG.debug("reconnect to {} failed after {} ms: {}", settings.brokerUrl(), down, e.toString());
            if (!closed) {
                reconnects.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * The retained messages of {@code topics} (the broker's own, under {@code $}) as text, by topic,
     * read through this connection (a second connection under the node's client id would take its
     * session over): subscribed, waited for up to {@code waitMillis}, unsubscribed. What is not
     * there is left out.
     */
    public Map<String, String> readRetained(List<String> topics, long waitMillis) {
        Map<String, String> values = new ConcurrentHashMap<>();
        String[] filters = topics.toArray(String[]::new);
        // Through the connection's callback: Paho 1.2.5's subscribe overloads that take a listener
        // for several subscriptions fail (an index out of bounds, or a recursion without end).
        retained = (t, payload) -> {
            if (topics.contains(t)) {
                values.put(t, new String(payload, StandardCharsets.UTF_8));
            }
        };
        try {
            MqttSubscription[] subs = Arrays.stream(filters).map(t -> new MqttSubscription(t, 0))
                    .toArray(MqttSubscription[]::new);
            client.subscribe(subs).waitForCompletion(waitMillis);
            long deadline = System.currentTimeMillis() + waitMillis;
            while (values.size() < filters.length && System.currentTimeMillis() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            client.unsubscribe(filters).waitForCompletion(waitMillis);
        } catch (MqttException e) {
            LOG.warn("cannot read {} from {}: {}", topics, settings.brokerUrl(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            retained = null;
        }
        return values;
    }

    /**
     * Subscribes to {@code topic}, a broker service's answers (the dynamic-security plugin's), now
     * and after every reconnect, and hands what arrives there to {@code handler} (on Paho's thread:
     * it must be quick) instead of to the node.
     *
     * @throws IOException if the broker refuses the subscription
     */
    public void subscribeService(String topic, BiConsumer<String, byte[]> handler) throws IOException {
        services.put(topic, handler);
        try {
            subscribeServiceTopic(topic);
        } catch (MqttException e) {
            throw new IOException("cannot subscribe to " + topic + ": " + e.getMessage(), e);
        }
    }

    private void subscribeServiceTopic(String topic) throws MqttException, IOException {
        IMqttToken token = client.subscribe(new MqttSubscription[]{new MqttSubscription(topic, 1)}, null, null,
                new MqttProperties());
        token.waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
        int[] codes = token.getReasonCodes();
        int code = codes == null || codes.length == 0 ? 0 : codes[0];
        if (code >= PahoCodes.FIRST_FAILURE) {
            throw new IOException("the broker refused the central node's subscription to " + topic + " ("
                    + PahoCodes.hex(code) + ")");
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** What the connection has done so far (for metrics and reports). */
    public ConnectionStats stats() {
        InboundRouter r = router;
        ConnAck ack = connAck;
        return new ConnectionStats(r == null ? 0 : r.messages(), r == null ? 0 : r.bytes(), sent.get(),
                sentBytes.get(), refused.get(), permits.waits(), connects.get(),
                ack == null ? 0 : ack.receiveMaximum(), ack != null && ack.sessionPresent());
    }

    /**
     * Says the node stopped (retained, so no Last Will is needed), disconnects normally and keeps
     * the session: the broker queues what devices send until a node with the same client id
     * connects again or the session expires.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (client.isConnected()) {
                publish(CentralPresence.TOPIC, CentralPresence.stopped(settings.clientId(), System.currentTimeMillis()),
                        1, true).get(QUIESCE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            LOG.debug("could not say the central node stopped: {}", e.toString());
        }
        closed = true;
        reconnects.shutdownNow();
        permits.close();
        try {
            if (client.isConnected()) {
                client.disconnect(QUIESCE_MILLIS).waitForCompletion(QUIESCE_MILLIS * 2);
            }
        } catch (MqttException e) {
            LOG.debug("disconnect failed; closing anyway: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("close failed: {}", e.toString());
        }
        LOG.info("central node's MQTT connection closed; {}", stats());
    }
}
