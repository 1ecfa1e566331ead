package io.ftpipe.broker.mqtt;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.services.Services;
import io.ftpipe.broker.metrics.FtpipeMetrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * HiveMQ's own metric registry (the one its Prometheus extension exports): message and byte
 * counts, and the central node's {@code ftpipe.*} metrics. Only valid inside a running broker with
 * the extension loaded.
 */
public final class BrokerMetrics {
    private BrokerMetrics() {
    }

    /** HiveMQ's registry, where the central node's metrics go so they are exported with the broker's. */
    public static MetricRegistry registry() {
        return Services.metricRegistry();
    }

    /** The central node's {@code ftpipe.*} metrics (see {@link FtpipeMetrics#snapshot}). */
    public static Map<String, Number> ftpipe() {
        return FtpipeMetrics.snapshot(registry());
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
