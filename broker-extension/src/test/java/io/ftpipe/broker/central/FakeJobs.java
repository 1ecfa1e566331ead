package io.ftpipe.broker.central;

import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.protocol.Rejections;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Jobs as the central node runs them (one registry, one set of leases, one fake device side), but
 * started by the test: {@link FakeDevices} answers them all, and a {@link FakeClock} times them.
 * The mlp's three units cost the same by the profile written here, so what a planner does follows
 * from the devices' slowdowns alone.
 */
final class FakeJobs {
    static final int MICRO_BATCH = 32;
    private static final double UNIT_MILLIS = 1.0;

    final FakeClock clock = new FakeClock();
    final DeviceRegistry registry = new DeviceRegistry(clock);
    final DeviceLeases leases = new DeviceLeases();
    final FakeDevices devices = new FakeDevices(clock, registry, UNIT_MILLIS);
    private final StageAssignments assignments = new StageAssignments();
    private final ExtensionConfig config;

    /** @param dir the central node's data folder (a test's temporary folder) */
    FakeJobs(Path dir) throws Exception {
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(profiles.resolve("mlp-mb" + MICRO_BATCH + "-t1.json"),
                "{\"model\": \"mlp\", \"microBatch\": 32, \"threads\": 1, \"forwardBackwardMillis\": [1, 1, 1]}");
        config = ExtensionConfig.defaults(dir).withDataDir(dir).withCoap(0, "127.0.0.1");
    }

    /** Queues the job, as the central node does when it is submitted, and starts it on a thread of its own. */
    CompletableFuture<JobReport> start(JobSpec spec, JobListener listener) {
        JobRun run = new JobRun(spec, registry, leases, devices, config, listener, new JobTimeouts(5_000, 10_000),
                new Rejections(), null, assignments, clock);
        devices.answer(run);
        leases.enqueue(spec.id(), spec.devices());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run.run();
            } catch (Exception e) {
                throw new CompletionException(e);
            } finally {
                leases.release(spec.id());
            }
        });
    }
}
