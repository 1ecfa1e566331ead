package io.ftpipe.cli.bench;

import io.ftpipe.device.mqtt.MqttTransport;
import io.ftpipe.device.mqtt.TransportOptions;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One hop through the broker by payload size: a ping-pong between two device transports, half
 * the round trip, median of repeats.
 */
public final class HopLatency {
    private HopLatency() {
    }

    public static Map<String, Object> measure(String brokerUri, int bytes, int repeats) throws Exception {
        BlockingQueue<byte[]> back = new ArrayBlockingQueue<>(1);
        try (MqttTransport a = MqttTransport.connect(TransportOptions.defaults(brokerUri, "hop-a"));
             MqttTransport b = MqttTransport.connect(TransportOptions.defaults(brokerUri, "hop-b"))) {
            b.subscribe("bench/ping", 1, (t, p) -> b.publish("bench/pong", p, 1, false));
            a.subscribe("bench/pong", 1, (t, p) -> back.offer(p));
            byte[] payload = new byte[bytes];
            long[] nanos = new long[repeats];
            for (int i = -2; i < repeats; i++) {
                long start = System.nanoTime();
                a.publish("bench/ping", payload, 1, false);
                if (back.poll(60, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("no pong for " + bytes + " bytes");
                }
                if (i >= 0) {
                    nanos[i] = (System.nanoTime() - start) / 2;
                }
            }
            Arrays.sort(nanos);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("bytes", bytes);
            r.put("median_ms", nanos[repeats / 2] / 1e6);
            r.put("mb_per_s", bytes / (nanos[repeats / 2] / 1e9) / 1e6);
            return r;
        }
    }
}
