package io.ftpipe.device.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.internal.MqttConnectionState;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.lang.reflect.Field;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Paho's async client with three repairs to its automatic reconnect, hooked into the public
 * {@code connect} overload that Paho's reconnect itself calls.
 *
 * <p>Retrying sooner: Paho waits at least 1 s between attempts. After a lost connection this
 * client also tries every {@link #FAST_RETRY_MILLIS} for {@link #FAST_RETRY_WINDOW_MILLIS}, the
 * time a broker takes to restart, and leaves the rest to Paho's own timer; a device is then back
 * within a fraction of a second of the broker rather than up to a second later.
 *
 * <p>Receive Maximum: Paho keeps the server's value private and hands the application no token
 * on a reconnect, only {@code connectComplete(true, uri)}. Paho calls the connect listener with
 * the completed token just before {@code connectComplete}, so wrapping the listener sees every
 * CONNACK in time.
 *
 * <p>No topic aliases: Paho 1.2.5 gives a QoS 1 publish a topic alias whenever the broker allows
 * them and then keeps only the alias; a message still unacknowledged when the connection drops is
 * sent again on the resumed session with that alias alone, which the new connection does not know
 * (aliases live only as long as a connection), and the broker disconnects the client (0x94) at
 * every reconnect, for ever (paho.mqtt.java issues 527 and 1104; found by bench chaos killing the
 * broker). So after every CONNACK the client is told the broker allows none.
 *
 * <p>Stopping: Paho's reconnect timer is a non-daemon thread that ends only when a reconnect
 * succeeds or {@code reconnect()} is called; a client closed while the broker is away would keep
 * the JVM alive. {@link #stopReconnecting} cancels it the only public way.
 */
final class AutoReconnectClient extends MqttAsyncClient {
    /** MQTT 5 default when the CONNACK carries no Receive Maximum. */
    static final int DEFAULT_RECEIVE_MAXIMUM = 65535;
    private static final long CONNECTING_POLL_MILLIS = 50;
    static final long FAST_RETRY_MILLIS = 250;
    static final long FAST_RETRY_WINDOW_MILLIS = 30_000;

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-fast-retry");
        t.setDaemon(true);
        return t;
    });

    private volatile int serverReceiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
    private volatile boolean stopped;

    AutoReconnectClient(String brokerUrl, String clientId) throws MqttException {
        // MemoryPersistence: Paho's default writes every QoS>0 message to disk.
        super(brokerUrl, clientId, new MemoryPersistence());
    }

    int serverReceiveMaximum() {
        return serverReceiveMaximum;
    }

    @Override
    public IMqttToken connect(MqttConnectionOptions options, Object userContext, MqttActionListener callback)
            throws MqttException {
        if (stopped) {
            throw new MqttException(MqttClientException.REASON_CODE_CLIENT_CLOSED);
        }
        return super.connect(options, userContext, new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                MqttProperties connack = token.getResponseProperties();
                Integer receiveMaximum = connack == null ? null : connack.getReceiveMaximum();
                serverReceiveMaximum = receiveMaximum == null ? DEFAULT_RECEIVE_MAXIMUM : receiveMaximum;
                useNoTopicAliases();
                if (callback != null) {
                    callback.onSuccess(token);
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                // After stopReconnecting, a failed attempt must not schedule another one.
                if (callback != null && !stopped) {
                    callback.onFailure(token, exception);
                }
            }
        });
    }

    /**
     * Paho keeps the broker's Topic Alias Maximum in a private field and offers no option; before
     * any publish of the connection (the window opens after this), it is set to none.
     */
    private void useNoTopicAliases() {
        try {
            connectionState().setOutgoingTopicAliasMaximum(0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Paho build hides its connection state elsewhere; without topic "
                    + "aliases turned off, a resumed session could not resend its messages: " + e, e);
        }
    }

    /** Paho's state of the current connection (what the broker allows on it). */
    MqttConnectionState connectionState() throws ReflectiveOperationException {
        Field f = MqttAsyncClient.class.getDeclaredField("mqttConnection");
        f.setAccessible(true);
        return (MqttConnectionState) f.get(this);
    }

    /** From the connection-lost callback: tries again every {@link #FAST_RETRY_MILLIS} for a while. */
    void retrySoon() {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FAST_RETRY_WINDOW_MILLIS);
        try {
            retries.schedule(() -> retry(until), FAST_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // stopReconnecting has run: nothing to retry.
        }
    }

    private void retry(long untilNanos) {
        if (stopped || isConnected() || System.nanoTime() - untilNanos > 0) {
            return;
        }
        try {
            // Cancels Paho's timer and tries at once; refused while an attempt is under way.
            reconnect();
        } catch (MqttException e) {
            // Under way, refused or still disconnecting: the next round tries again.
        }
        try {
            retries.schedule(() -> retry(untilNanos), FAST_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // Stopped meanwhile.
        }
    }

    /**
     * Ends automatic reconnection for good, unless an attempt already under way succeeds first
     * (then the client is connected and can be disconnected normally). {@code reconnect()}
     * cancels Paho's timer and then tries to connect, which {@link #connect} now refuses.
     */
    void stopReconnecting(long deadlineNanos) throws InterruptedException {
        stopped = true;
        retries.shutdownNow();
        while (!isConnected()) {
            try {
                reconnect();
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS
                        || System.nanoTime() - deadlineNanos > 0) {
                    return;
                }
                Thread.sleep(CONNECTING_POLL_MILLIS);
            }
        }
    }
}
