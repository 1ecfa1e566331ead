package io.ftpipe.broker.central;

import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several jobs on one central node's fleet ({@link FakeJobs}): each device serves one job at a time,
 * a failure in one job is that job's alone, and a job that asks for more devices than are free
 * waits in the queue until a job ends.
 */
class ConcurrentJobsTest {
    private static final int SAMPLES = 512;

    @TempDir
    Path dir;

    private static JobSpec job(String id, int devices, String planner) {
        return new JobSpec(id, "mlp", devices, Schedule.Names.ONE_F_ONE_B, FakeJobs.MICRO_BATCH, 1, 1,
                OptimizerConfig.adam(1e-3, 0), 1, SAMPLES, 0, planner);
    }

    /** Every device that ran a stage of the job, in any term. */
    private static Set<String> devicesOf(JobReport r) {
        return r.terms().stream().flatMap(t -> t.stages().stream()).map(JobReport.Stage::device)
                .collect(Collectors.toSet());
    }

    @Test
    void jobsOnDisjointDevicesRecoverIndependently() throws Exception {
        FakeJobs jobs = new FakeJobs(dir);
        for (String d : List.of("d0", "d1", "d2", "d3")) {
            jobs.devices.join(d, 1);
        }
        // Both jobs are admitted before either trains: b must not find a's devices free.
        CountDownLatch bothAdmitted = new CountDownLatch(2);
        AtomicBoolean killed = new AtomicBoolean();
        JobListener waitForTheOther = new JobListener() {
            @Override
            public void termStarted(JobReport.Term term) {
                bothAdmitted.countDown();
                await().atMost(30, TimeUnit.SECONDS).until(() -> bothAdmitted.getCount() == 0);
            }
        };
        CompletableFuture<JobReport> a = jobs.start(job("a", 2, JobSpec.SPEED_BLIND),
                JobListener.both(waitForTheOther, new JobListener() {
                    @Override
                    public void microBatchDone(long done, double loss) {
                        if (done >= 5 && killed.compareAndSet(false, true)) {
                            jobs.devices.kill(jobs.leases.heldBy("a").get(1));
                        }
                    }
                }));
        CompletableFuture<JobReport> b = jobs.start(job("b", 2, JobSpec.ADAPTIVE), waitForTheOther);
        JobReport ra = a.get(2, TimeUnit.MINUTES);
        JobReport rb = b.get(2, TimeUnit.MINUTES);

        assertTrue(killed.get());
        Set<String> shared = new HashSet<>(devicesOf(ra));
        shared.retainAll(devicesOf(rb));
        assertEquals(Set.of(), shared, "no device served both jobs: " + ra.terms() + " / " + rb.terms());
        assertEquals(1, ra.recoveries().size(), ra.events().toString());
        assertEquals(1, ra.stages().size(), "a recovered on its one device left, not on b's: " + ra.stages());
        assertEquals(List.of(), rb.recoveries(), "a's failure is a's alone");
        assertEquals(SAMPLES, ra.epochs().get(0).samples(), "every sample of a trained once");
        assertEquals(SAMPLES, rb.epochs().get(0).samples(), "every sample of b trained once");
        assertEquals(0, ra.duplicateMicroBatches() + rb.duplicateMicroBatches());
        assertEquals(List.of(), jobs.leases.heldBy("a"), "a's devices are free once it ended");
    }

    @Test
    void aJobAskingForMoreDevicesThanAreFreeWaitsUntilOneEnds() throws Exception {
        FakeJobs jobs = new FakeJobs(dir);
        for (String d : List.of("d0", "d1", "d2")) {
            jobs.devices.join(d, 1);
        }
        CountDownLatch queuedSeen = new CountDownLatch(1);
        CompletableFuture<JobReport> first = jobs.start(job("first", 2, JobSpec.SPEED_BLIND), new JobListener() {
            @Override
            public void microBatchDone(long done, double loss) {
                // Holds its devices until the test has seen the next job queued behind it.
                try {
                    queuedSeen.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        await().atMost(30, TimeUnit.SECONDS).until(() -> jobs.leases.heldBy("first").size() == 2);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<JobReport> second = jobs.start(job("second", 2, JobSpec.SPEED_BLIND), new JobListener() {
            @Override
            public void event(String what) {
                events.add(what);
            }
        });
        await().atMost(30, TimeUnit.SECONDS).until(() -> events.stream().anyMatch(e -> e.startsWith("queued")));
        assertEquals(1, jobs.leases.position("second"));
        assertEquals(List.of(), jobs.leases.heldBy("second"), "a queued job holds nothing");
        assertTrue(events.contains("queued at position 1 for 2 devices (1 free of 3 alive)"), events.toString());
        queuedSeen.countDown();

        JobReport r1 = first.get(2, TimeUnit.MINUTES);
        JobReport r2 = second.get(2, TimeUnit.MINUTES);
        assertEquals(SAMPLES, r1.epochs().get(0).samples());
        assertEquals(SAMPLES, r2.epochs().get(0).samples(), "the queued job trained every sample once");
        Set<String> handedOn = new HashSet<>(devicesOf(r1));
        handedOn.retainAll(devicesOf(r2));
        assertTrue(!handedOn.isEmpty(), "the queued job got devices of the job that ended: " + r1.terms() + " / "
                + r2.terms());
        assertEquals(0, jobs.leases.position("second"));
    }
}
