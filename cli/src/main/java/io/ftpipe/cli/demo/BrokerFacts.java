package io.ftpipe.cli.demo;

import io.ftpipe.broker.mqtt.BrokerMetrics;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Which broker a job ran through, for its report: the name, the broker's message and byte counts
 * ({@code messages}, {@code bytes}, and the broker's own counters), and the central node's
 * {@code ftpipe.*} metrics (in HiveMQ's registry inside HiveMQ, in its own in client mode).
 */
public record BrokerFacts(String name, Supplier<Map<String, Long>> counts, Supplier<Map<String, Number>> ftpipe) {
    public static final String HIVEMQ = "hivemq";
    public static final String MOSQUITTO = "mosquitto";
    /** Devices on a site Mosquitto bridged to a core Mosquitto, the central node on the core. */
    public static final String MOSQUITTO_BRIDGED = "mosquitto-bridged";
    public static final java.util.List<String> NAMES = java.util.List.of(HIVEMQ, MOSQUITTO, MOSQUITTO_BRIDGED);

    /** The embedded HiveMQ CE with the extension as the central node. */
    public static BrokerFacts hivemq() {
        return new BrokerFacts(HIVEMQ, BrokerMetrics::snapshot, BrokerMetrics::ftpipe);
    }
}
