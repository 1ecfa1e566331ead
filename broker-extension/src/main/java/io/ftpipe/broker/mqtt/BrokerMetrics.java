package io.ftpipe.broker.mqtt;

import com.hivemq.extension.sdk.api.services.Services;

import java.util.Map;
import java.util.TreeMap;

/**
 * Message and byte counts from HiveMQ's own metric registry (the one its Prometheus extension
 * exports). Only valid inside a running broker with the extension loaded.
 */
public final class BrokerMetrics {
    private BrokerMetrics() {
    }

    /**
     * {@code messages}: PUBLISH packets in and out; {@code bytes}: bytes read and written on all
     * connections; plus every {@code com.hivemq.messages.*} and networking counter and gauge as is.
     */
    public static Map<String, Long> snapshot() {
        var registry = Services.metricRegistry();
        Map<String, Long> out = new TreeMap<>();
        registry.getCounters((name, m) -> name.startsWith("com.hivemq.messages."))
                .forEach((name, c) -> out.put(name, c.getCount()));
        registry.getGauges((name, m) -> name.startsWith("com.hivemq.networking.bytes"))
                .forEach((name, g) -> {
                    if (g.getValue() instanceof Number n) {
                        out.put(name, n.longValue());
                    }
                });
        out.put("messages", out.getOrDefault("com.hivemq.messages.incoming.publish.count", 0L)
                + out.getOrDefault("com.hivemq.messages.outgoing.publish.count", 0L));
        out.put("bytes", out.getOrDefault("com.hivemq.networking.bytes.read.total", 0L)
                + out.getOrDefault("com.hivemq.networking.bytes.write.total", 0L));
        return out;
    }
}
