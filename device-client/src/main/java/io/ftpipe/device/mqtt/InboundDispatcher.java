package io.ftpipe.device.mqtt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Runs message handlers on one dedicated thread, in arrival order. Never on Paho's callback
 * thread: a slow handler there stalls Paho's reading of acks (and so keepalive), and a handler
 * that publishes there deadlocks waiting for acks that thread would process.
 *
 * <p>The queue is unbounded on purpose: blocking Paho's thread is the failure we avoid, and the
 * pipeline's own admission control (at most S micro-batches in flight) bounds what arrives.
 */
final class InboundDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);

    private final Subscriptions subscriptions;
    private final TransportCounters counters;
    private final ExecutorService executor;
    /** When the message being handled arrived; written and read on the handler thread only. */
    private long arrivedNanos;

    InboundDispatcher(String clientId, Subscriptions subscriptions, TransportCounters counters) {
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mqtt-handlers-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues delivery of one message; returns at once. */
    void dispatch(String topic, byte[] payload) {
        try {
            long arrived = System.nanoTime();
            executor.execute(() -> deliver(topic, payload, arrived));
        } catch (RejectedExecutionException closing) {
            LOG.debug("dropped message on {}: transport closing", topic);
        }
    }

    /**
     * {@link System#nanoTime()} when the message whose handler runs now came off the connection,
     * before it waited for the handlers of earlier ones. For handlers only.
     */
    long arrivedNanos() {
        return arrivedNanos;
    }

    private void deliver(String topic, byte[] payload, long arrived) {
        arrivedNanos = arrived;
        for (BiConsumer<String, byte[]> handler : subscriptions.handlersFor(topic)) {
            try {
                handler.accept(topic, payload);
            } catch (RuntimeException e) {
                counters.handlerFailed();
                LOG.warn("handler for {} failed; delivery continues", topic, e);
            }
        }
    }

    /** Lets queued handlers finish for a moment, then interrupts them. */
    void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
