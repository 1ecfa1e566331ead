package io.ftpipe.device.mqtt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * The subscriptions the application asked for. Kept here rather than in Paho because, with clean
 * start, both the broker and Paho forget subscriptions (and Paho its per-subscription listeners)
 * when the connection drops; this registry is what gets renewed after a reconnect.
 */
final class Subscriptions {

    private record Entry(int qos, BiConsumer<String, byte[]> handler) {
    }

    private final Map<String, Entry> byFilter = new ConcurrentHashMap<>();

    /** Registers or replaces the handler of {@code filter}. */
    void put(String filter, int qos, BiConsumer<String, byte[]> handler) {
        byFilter.put(filter, new Entry(qos, handler));
    }

    void remove(String filter) {
        byFilter.remove(filter);
    }

    /** Handlers of every filter matching {@code topic}, looked up at delivery time. */
    List<BiConsumer<String, byte[]>> handlersFor(String topic) {
        return byFilter.entrySet().stream()
                .filter(e -> MqttTopicValidator.isMatched(e.getKey(), topic))
                .map(e -> e.getValue().handler())
                .toList();
    }

    MqttSubscription[] all() {
        return byFilter.entrySet().stream()
                .map(e -> new MqttSubscription(e.getKey(), e.getValue().qos()))
                .toArray(MqttSubscription[]::new);
    }
}
