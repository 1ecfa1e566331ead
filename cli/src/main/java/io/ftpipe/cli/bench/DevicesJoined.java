package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.TrainingCentralNode;

import java.util.List;

/** Benchmarks start device JVMs and must not submit a job before the central node sees them all. */
public final class DevicesJoined {
    private static final long WAIT_MILLIS = 60_000;
    /**
     * A device JVM takes seconds of CPU to start: many of them on a small machine take turns at its
     * cores, so the wait grows with their number beyond a few.
     */
    private static final long WAIT_MILLIS_PER_DEVICE = 8_000;

    private DevicesJoined() {
    }

    public static void await(TrainingCentralNode central, List<String> ids) throws InterruptedException {
        long wait = Math.max(WAIT_MILLIS, ids.size() * WAIT_MILLIS_PER_DEVICE);
        long deadline = System.currentTimeMillis() + wait;
        while (!central.registry().alive(5000).containsAll(ids)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("devices did not join within " + wait / 1000 + " s: " + ids);
            }
            Thread.sleep(100);
        }
    }
}
