package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.TrainingCentralNode;

import java.util.List;

/** Benchmarks start device JVMs and must not submit a job before the central node sees them all. */
public final class DevicesJoined {
    private static final long WAIT_MILLIS = 60_000;

    private DevicesJoined() {
    }

    public static void await(TrainingCentralNode central, List<String> ids) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!central.registry().alive(5000).containsAll(ids)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("devices did not join within " + WAIT_MILLIS / 1000 + " s: " + ids);
            }
            Thread.sleep(100);
        }
    }
}
