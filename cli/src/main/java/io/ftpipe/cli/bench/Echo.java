package io.ftpipe.cli.bench;

import io.ftpipe.protocol.Topics;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Duplicated and reordered delivery, for real: every message the broker carries on a job's stage
 * topics is published again, twice, by a client of the broker's own: at once (a duplicate, as
 * QoS 1 redelivers) and once more {@value #LATE} messages later (late, out of order). A device
 * must refuse every copy.
 */
public final class Echo implements AutoCloseable {
    /** How many later messages overtake a copy sent late. */
    static final int LATE = 8;

    private record Captured(String topic, byte[] payload) {
    }

    private final MqttClient client;
    private final String filter;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "echo");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Captured> late = new ArrayDeque<>();
    private final AtomicLong toDevices = new AtomicLong();

    private Echo(MqttClient client, String filter) {
        this.client = client;
        this.filter = filter;
    }

    /** Starts echoing job {@code job}'s stage messages on the broker at {@code uri}. */
    public static Echo start(String uri, String clientId, String job) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.connect(new MqttConnectionOptions());
        Echo echo = new Echo(client, Topics.JOBS + job + "/stages/+/+");
        // Not its own copies, or it would echo its echoes.
        MqttSubscription s = new MqttSubscription(echo.filter, 1);
        s.setNoLocal(true);
        IMqttMessageListener capture = (topic, m) -> echo.capture(new Captured(topic, m.getPayload()));
        client.subscribe(new MqttSubscription[]{s}, new IMqttMessageListener[]{capture}).waitForCompletion();
        return echo;
    }

    /** Copies published to devices' inputs so far (replicas excluded: they go to the central node too). */
    public long toDevices() {
        return toDevices.get();
    }

    private void capture(Captured m) {
        if (sender.isShutdown()) {
            return;
        }
        sender.execute(() -> {
            send(m);
            late.addLast(m);
            if (late.size() > LATE) {
                send(late.removeFirst());
            }
        });
    }

    private void send(Captured m) {
        try {
            client.publish(m.topic(), m.payload(), 1, false);
        } catch (MqttException e) {
            // Echoing is best effort: a copy not sent is one the devices need not refuse.
            return;
        }
        if (!m.topic().endsWith("/" + Topics.REPLICA)) {
            toDevices.incrementAndGet();
        }
    }

    /** Stops echoing; copies already captured are sent. */
    @Override
    public void close() throws MqttException, InterruptedException {
        client.unsubscribe(filter);
        sender.shutdown();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        client.disconnect();
        client.close();
    }
}
