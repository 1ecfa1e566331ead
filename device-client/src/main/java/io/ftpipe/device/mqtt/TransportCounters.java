package io.ftpipe.device.mqtt;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters behind {@link TransportStats}; updated from Paho's and the handler threads. */
final class TransportCounters {
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong messagesReceived = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong publishWaits = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();

    void sent(int bytes) {
        messagesSent.incrementAndGet();
        bytesSent.addAndGet(bytes);
    }

    void received(int bytes) {
        messagesReceived.incrementAndGet();
        bytesReceived.addAndGet(bytes);
    }

    void reconnected() {
        reconnects.incrementAndGet();
    }

    void publishWaited() {
        publishWaits.incrementAndGet();
    }

    void handlerFailed() {
        handlerFailures.incrementAndGet();
    }

    TransportStats snapshot() {
        return new TransportStats(messagesSent.get(), bytesSent.get(), messagesReceived.get(),
                bytesReceived.get(), reconnects.get(), publishWaits.get(), handlerFailures.get());
    }
}
