package io.ftpipe.centralclient;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.centralclient.mqtt.ConnectionStats;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The client-mode central node's MQTT traffic as {@code ftpipe.client.*} gauges beside the central
 * node's own metrics. Inside HiveMQ the broker counts messages; a client counts only its own.
 */
final class ClientMetrics {
    static final String PREFIX = FtpipeMetrics.PREFIX + "client.";

    private ClientMetrics() {
    }

    static void register(MetricRegistry registry, Supplier<ConnectionStats> stats) {
        gauge(registry, "messages.received", stats, ConnectionStats::received);
        gauge(registry, "bytes.received", stats, ConnectionStats::receivedBytes);
        gauge(registry, "messages.sent", stats, ConnectionStats::sent);
        gauge(registry, "bytes.sent", stats, ConnectionStats::sentBytes);
        gauge(registry, "publishes.refused", stats, ConnectionStats::refused);
        gauge(registry, "publishes.waited", stats, ConnectionStats::publishWaits);
        gauge(registry, "connects", stats, ConnectionStats::connects);
        gauge(registry, "receive.maximum", stats, s -> (long) s.receiveMaximum());
    }

    private static void gauge(MetricRegistry registry, String name, Supplier<ConnectionStats> stats,
                              Function<ConnectionStats, Long> value) {
        registry.register(PREFIX + name, (Gauge<Long>) () -> value.apply(stats.get()));
    }
}
