package io.ftpipe.device.mqtt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiConsumer;

/**
 * Runs message handlers on one dedicated thread, in arrival order but for a gradient going ahead
 * of data queued before it ({@link InboundQueue}). Never on Paho's callback thread: a slow handler
 * there stalls Paho's reading of acks (and so keepalive), and a handler that publishes there
 * deadlocks waiting for acks that thread would process.
 *
 * <p>The queue is unbounded on purpose: blocking Paho's thread is the failure we avoid, and the
 * pipeline's own admission control (at most S micro-batches in flight) bounds what arrives.
 */
final class InboundDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);
    /** How long {@link #close} lets queued handlers finish before it interrupts them. */
    private static final long CLOSE_GRACE_MILLIS = 2_000;

    private final Subscriptions subscriptions;
    private final TransportCounters counters;
    private final InboundQueue queue = new InboundQueue();
    private final Thread thread;
    private boolean closing;
    /** When the message being handled arrived; written and read on the handler thread only. */
    private long arrivedNanos;

    InboundDispatcher(String clientId, Subscriptions subscriptions, TransportCounters counters) {
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.thread = new Thread(this::run, "mqtt-handlers-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues delivery of one message; returns at once. */
    void dispatch(String topic, byte[] payload) {
        synchronized (queue) {
            if (closing) {
                LOG.debug("dropped message on {}: transport closing", topic);
                return;
            }
            queue.add(new InboundQueue.Arrival(topic, payload, System.nanoTime()));
            queue.notifyAll();
        }
    }

    /**
     * {@link System#nanoTime()} when the message whose handler runs now came off the connection,
     * before it waited for the handlers of earlier ones. For handlers only.
     */
    long arrivedNanos() {
        return arrivedNanos;
    }

    private void run() {
        while (true) {
            InboundQueue.Arrival a;
            synchronized (queue) {
                while (queue.isEmpty() && !closing) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty() || Thread.currentThread().isInterrupted()) {
                    return;
                }
                a = queue.next();
            }
            deliver(a);
        }
    }

    private void deliver(InboundQueue.Arrival a) {
        arrivedNanos = a.arrivedNanos();
        for (BiConsumer<String, byte[]> handler : subscriptions.handlersFor(a.topic())) {
            try {
                handler.accept(a.topic(), a.payload());
            } catch (RuntimeException e) {
                counters.handlerFailed();
                LOG.warn("handler for {} failed; delivery continues", a.topic(), e);
            }
        }
    }

    /** Lets queued handlers finish for a moment, then interrupts them. */
    void close() {
        synchronized (queue) {
            closing = true;
            queue.notifyAll();
        }
        if (Thread.currentThread() == thread) {
            return; // closed by a handler: the loop ends once the queue is empty
        }
        try {
            thread.join(CLOSE_GRACE_MILLIS);
            if (thread.isAlive()) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
