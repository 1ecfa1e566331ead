package io.ftpipe.broker.central;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Milliseconds that pass only when a test says so. */
final class FakeClock implements LongSupplier {
    private final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    public long getAsLong() {
        return millis.get();
    }

    void advance(long by) {
        millis.addAndGet(by);
    }
}
