package io.ftpipe.cli.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuMeterTest {
    /** Spins on a thread of its own for {@code millis} of wall time. */
    private static Thread spin(String name, long millis) {
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + millis * 1_000_000;
            long x = 0;
            while (System.nanoTime() < end) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, name);
        t.start();
        return t;
    }

    @Test
    void theCentralNodesThreadsCountEvenWhenTheyEndedBeforeTheReading() throws Exception {
        try (CpuMeter meter = new CpuMeter()) {
            Thread central = spin(CpuMeter.CENTRAL_THREADS + "job", 600);
            Thread other = spin("hivemq-like", 600);
            central.join();
            other.join();
            // Long enough for the sampler to have seen the ended thread's last time, then it is gone.
            Thread.sleep(600);
            CpuMeter.Usage u = meter.usage();
            // On a shared machine a spinning thread gets a share of a core, not all of one.
            assertTrue(u.centralNodeCpuSeconds() > 0.05, u.toString());
            assertTrue(u.centralNodeCpuSeconds() < 0.75, "only the central node's thread: " + u);
            assertTrue(u.processCpuSeconds() >= u.centralNodeCpuSeconds() + 0.05, "both threads in the process: " + u);
            assertTrue(u.wallSeconds() >= 1.2, u.toString());
        }
    }
}
