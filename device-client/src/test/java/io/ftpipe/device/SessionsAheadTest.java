package io.ftpipe.device;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SessionsAheadTest {
    private static final byte[] A = {1, 2};
    private static final byte[] B = {3};

    /** Something built, which knows whether it was closed. */
    private static final class Built implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void whatWasBuiltForTheGraphsIsTakenOnce() throws Exception {
        SessionsAhead<Built> ahead = new SessionsAhead<>();
        Built built = new Built();
        ahead.build(A.clone(), () -> built);
        assertSame(built, ahead.take(A.clone()), "the same graphs, in another array");
        assertNull(ahead.take(A), "taken already");
        assertEquals(0, built.closes.get(), "the taker owns it");
    }

    @Test
    void aBuildForOtherGraphsIsClosedNotTaken() throws Exception {
        SessionsAhead<Built> ahead = new SessionsAhead<>();
        Built built = new Built();
        ahead.build(A, () -> built);
        assertNull(ahead.take(B));
        assertEquals(1, built.closes.get());
    }

    @Test
    void aLaterPreparationReplacesAnEarlierOne() throws Exception {
        SessionsAhead<Built> ahead = new SessionsAhead<>();
        Built first = new Built();
        Built second = new Built();
        ahead.build(A, () -> first);
        ahead.build(B, () -> second);
        assertEquals(1, first.closes.get());
        assertNull(ahead.take(A));
        assertEquals(1, second.closes.get(), "taken for other graphs: closed");
    }

    @Test
    void aTakeWaitsForTheBuildUnderWay() throws Exception {
        SessionsAhead<Built> ahead = new SessionsAhead<>();
        Built built = new Built();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> build = thread.submit(() -> {
                ahead.build(A, () -> {
                    building.countDown();
                    finish.await();
                    return built;
                });
                return null;
            });
            assertTrue(building.await(10, TimeUnit.SECONDS));
            ExecutorService taker = Executors.newSingleThreadExecutor();
            try {
                Future<Built> taken = taker.submit(() -> ahead.take(A));
                assertThrows(java.util.concurrent.TimeoutException.class, () -> taken.get(100, TimeUnit.MILLISECONDS));
                finish.countDown();
                assertSame(built, taken.get(10, TimeUnit.SECONDS));
            } finally {
                taker.shutdownNow();
            }
            build.get(10, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aFailedBuildIsNothingToTake() throws Exception {
        SessionsAhead<Built> ahead = new SessionsAhead<>();
        assertThrows(IllegalStateException.class, () -> ahead.build(A, () -> {
            throw new IllegalStateException("out of memory");
        }));
        assertNull(ahead.take(A));
    }

    @Test
    void closingDiscardsWhatIsPreparedAndRefusesMore() throws Exception {
        SessionsAhead<Built> ahead = new SessionsAhead<>();
        Built built = new Built();
        ahead.build(A, () -> built);
        ahead.close();
        assertEquals(1, built.closes.get());
        assertThrows(IllegalStateException.class, () -> ahead.build(A, Built::new));
    }
}
