package io.ftpipe.centralclient.mosquitto;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A broker's own counters from its retained {@code $SYS} topics, as Mosquitto publishes them every
 * {@code sys_interval} seconds: PUBLISH packets and bytes in and out, and its version. For reports,
 * beside the counts HiveMQ keeps in its metric registry; the last interval may be missing. Pure:
 * the central node's connection reads the topics ({@code CentralClient.brokerCounters()}).
 */
public final class MosquittoSys {
    static final String PUBLISH_RECEIVED = "$SYS/broker/publish/messages/received";
    static final String PUBLISH_SENT = "$SYS/broker/publish/messages/sent";
    static final String BYTES_RECEIVED = "$SYS/broker/bytes/received";
    static final String BYTES_SENT = "$SYS/broker/bytes/sent";
    public static final String VERSION = "$SYS/broker/version";
    /** The topics to read. */
    public static final List<String> TOPICS = List.of(PUBLISH_RECEIVED, PUBLISH_SENT, BYTES_RECEIVED, BYTES_SENT,
            VERSION);

    private MosquittoSys() {
    }

    /**
     * {@code messages} (PUBLISH packets in plus out) and {@code bytes} (in plus out), and every
     * value read that is a count, by topic; empty for a broker that publishes none.
     */
    public static Map<String, Long> counts(Map<String, String> values) {
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

    /** {@code mosquitto} if the version says so, else {@code mqtt} (another broker, or none said). */
    public static String brokerName(Map<String, String> values) {
        String version = values.get(VERSION);
        return version != null && version.startsWith("mosquitto") ? "mosquitto" : "mqtt";
    }
}
