package io.ftpipe.device;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What a device builds ahead of the term that needs it ({@code prepare}), while its current stage
 * trains: at most one preparation, the latest, keyed by the graphs it was built from. A preparation
 * that is replaced, not taken, or taken for other graphs is closed once built.
 *
 * @param <T> what is built (sessions, warmed up)
 */
final class SessionsAhead<T extends AutoCloseable> implements AutoCloseable {
    interface Builder<T> {
        T build() throws Exception;
    }

    private record Pending<T>(byte[] graphs, CompletableFuture<T> ready) {
    }

    private Pending<T> pending;
    private boolean closed;

    /**
     * Builds for {@code graphs} on the calling thread, in place of any earlier preparation.
     *
     * @throws IllegalStateException if closed
     */
    void build(byte[] graphs, Builder<T> builder) throws Exception {
        CompletableFuture<T> ready = new CompletableFuture<>();
        Pending<T> before;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            before = pending;
            pending = new Pending<>(graphs, ready);
        }
        discard(before);
        try {
            ready.complete(builder.build());
        } catch (Exception e) {
            ready.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * What was built for {@code graphs}, waiting for a build under way; null if nothing was, or its
     * build failed. Whatever else was prepared is discarded.
     */
    T take(byte[] graphs) throws InterruptedException {
        Pending<T> p;
        synchronized (this) {
            p = pending;
            pending = null;
        }
        if (p == null) {
            return null;
        }
        if (!Arrays.equals(p.graphs(), graphs)) {
            discard(p);
            return null;
        }
        try {
            return p.ready().get();
        } catch (ExecutionException failed) {
            return null;
        }
    }

    /** Discards what is prepared (closed once built). */
    void clear() {
        Pending<T> p;
        synchronized (this) {
            p = pending;
            pending = null;
        }
        discard(p);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        clear();
    }

    private static <T extends AutoCloseable> void discard(Pending<T> p) {
        if (p != null) {
            p.ready().thenAccept(SessionsAhead::closeQuietly);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Never used: nothing depends on it.
        }
    }
}
