package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.centralclient.mqtt.ConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A broker's own counters from its retained {@code $SYS} topics, as Mosquitto publishes them every
 * {@code sys_interval} seconds: PUBLISH packets and bytes in and out, and its version. For reports,
 * beside the counts HiveMQ keeps in its metric registry; the last interval may be missing.
 */
public final class MosquittoSys {
    private static final Logger LOG = LoggerFactory.getLogger(MosquittoSys.class);
    static final String PUBLISH_RECEIVED = "$SYS/broker/publish/messages/received";
    static final String PUBLISH_SENT = "$SYS/broker/publish/messages/sent";
    static final String BYTES_RECEIVED = "$SYS/broker/bytes/received";
    static final String BYTES_SENT = "$SYS/broker/bytes/sent";
    static final String VERSION = "$SYS/broker/version";
    private static final long WAIT_MILLIS = 3_000;

    private MosquittoSys() {
    }

    /**
     * {@code messages} (PUBLISH packets in plus out) and {@code bytes} (in plus out), and each
     * {@code $SYS} value read; empty if the broker publishes none or cannot be reached (logged).
     */
    public static Map<String, Long> countsOrEmpty(BrokerConnection c) {
        Map<String, String> values = read(c);
        Map<String, Long> out = new TreeMap<>();
        values.forEach((topic, value) -> {
            try {
                out.put(topic, Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                // the version, or a value that is no count
            }
        });
        if (out.containsKey(PUBLISH_RECEIVED) && out.containsKey(PUBLISH_SENT)) {
            out.put("messages", out.get(PUBLISH_RECEIVED) + out.get(PUBLISH_SENT));
        }
        if (out.containsKey(BYTES_RECEIVED) && out.containsKey(BYTES_SENT)) {
            out.put("bytes", out.get(BYTES_RECEIVED) + out.get(BYTES_SENT));
        }
        return out;
    }

    /** What the broker says it is ({@code $SYS/broker/version}), or null. */
    public static String version(BrokerConnection c) {
        return read(c).get(VERSION);
    }

    /** The retained {@code $SYS} values named above, as text, by topic. */
    static Map<String, String> read(BrokerConnection c) {
        Map<String, String> values = new ConcurrentHashMap<>();
        String[] topics = {PUBLISH_RECEIVED, PUBLISH_SENT, BYTES_RECEIVED, BYTES_SENT, VERSION};
        try {
            // The async client: MqttClient.subscribe(String[], int[], listeners) of Paho 1.2.5 calls itself
            // until the stack overflows.
            MqttAsyncClient client = new MqttAsyncClient(c.brokerUrl(), c.clientId() + "-sys", new MemoryPersistence());
            try {
                client.connect(ConnectOptions.helper(c)).waitForCompletion(WAIT_MILLIS);
                MqttSubscription[] subs = Arrays.stream(topics).map(t -> new MqttSubscription(t, 0))
                        .toArray(MqttSubscription[]::new);
                client.subscribe(subs, null, null,
                        (t, m) -> values.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)),
                        new MqttProperties()).waitForCompletion(WAIT_MILLIS);
                long deadline = System.currentTimeMillis() + WAIT_MILLIS;
                while (values.size() < topics.length && System.currentTimeMillis() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            } finally {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(WAIT_MILLIS);
                }
                client.close();
            }
        } catch (MqttException | RuntimeException e) {
            LOG.warn("cannot read the broker's $SYS counters from {}: {}", c.brokerUrl(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return values;
    }
}
