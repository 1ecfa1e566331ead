package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's recovery and re-planning decisions, driven by a fake device side ({@link FakeJobs}): no
 * broker, no device processes.
 */
class JobRunTest {
    @TempDir
    Path dir;
    private FakeJobs jobs;
    private FakeDevices devices;

    @BeforeEach
    void fakes() throws Exception {
        jobs = new FakeJobs(dir);
        devices = jobs.devices;
    }

    private JobReport run(JobSpec spec, JobListener listener) throws Exception {
        return jobs.start(spec, listener).get(2, TimeUnit.MINUTES);
    }

    private static JobSpec job(String planner, int devices, int samples) {
        return job(planner, devices, samples, JobSpec.Replication.DEFAULT);
    }

    private static JobSpec job(String planner, int devices, int samples, JobSpec.Replication replication) {
        return new JobSpec("fake", "mlp", devices, Schedule.Names.ONE_F_ONE_B, FakeJobs.MICRO_BATCH, 1, 1,
                OptimizerConfig.adam(1e-3, 0), 1, samples, 0, planner, replication);
    }

    /** Kills d1 of d0, d1, d2 once five micro-batches are done. */
    private JobReport killD1(JobSpec.Replication replication) throws Exception {
        devices.join("d0", 1);
        devices.join("d1", 1);
        devices.join("d2", 1);
        AtomicBoolean killed = new AtomicBoolean();
        JobReport r = run(job(JobSpec.SPEED_BLIND, 3, 512, replication), new JobListener() {
            @Override
            public void microBatchDone(long done, double loss) {
                if (done >= 5 && killed.compareAndSet(false, true)) {
                    devices.kill("d1");
                }
            }
        });
        assertTrue(killed.get());
        return r;
    }

    @Test
    void aKilledDeviceIsRecoveredFromAndEverySampleTrainsOnce() throws Exception {
        JobReport r = killD1(JobSpec.Replication.DEFAULT);

        assertEquals(1, r.recoveries().size(), r.events().toString());
        JobReport.Recovery recovery = r.recoveries().get(0);
        assertEquals(List.of("d1 (connection lost)"), recovery.failed());
        assertEquals(List.of("d0", "d2"), r.stages().stream().map(JobReport.Stage::device).toList());
        // d1's unit had no newer copy than the central node's, from the start of the job; the
        // survivors' units stayed where they were or came from them.
        assertTrue(recovery.sources().get(1).startsWith(Restore.CENTRAL + " @0"), recovery.sources().toString());
        // Unit 1 lost every update since: they are replayed for it, and the others skip them.
        assertTrue(recovery.resumedFrom() > 0, recovery.toString());
        assertEquals(recovery.resumedFrom(), recovery.caughtUp());
        assertEquals(0, recovery.iterationsLost());
        assertEquals(0, recovery.updatesAppliedTwice());
        assertEquals(0, r.iterationsLost());
        assertEquals(0, r.updatesAppliedTwice());
        assertEquals(Map.of(), nonZero(devices.updatesLost), "every unit got every update");
        assertTrue(recovery.sources().get(0).startsWith(Restore.LIVE), recovery.sources().toString());
        assertEquals(512, r.epochs().get(0).samples(), "every sample trained once");
        assertEquals(0, r.duplicateMicroBatches());
        assertEquals(Set.of(0, 1, 2), union(devices.units("d0"), devices.units("d2")), "every unit is held");
        assertTrue(Files.size(Path.of(r.modelPath())) > 0, "the model was exported");
    }

    @Test
    void aSlowDeviceIsPlannedAroundFromWhatItMeasured() throws Exception {
        devices.join("d0", 1);
        devices.join("d1", 1);
        devices.join("slow", 20);
        JobReport r = run(job(JobSpec.ADAPTIVE, 3, 4096), JobListener.NONE);

        assertTrue(r.terms().size() >= 2, "re-planned: " + r.events());
        JobReport.Term replanned = r.terms().get(1);
        assertTrue(replanned.reason().startsWith("measured capacities"), replanned.reason());
        assertTrue(replanned.capacities().get("slow").slowdown() > 10, replanned.capacities().toString());
        JobReport.Term last = r.terms().get(r.terms().size() - 1);
        int slowUnits = last.stages().stream().filter(s -> s.device().equals("slow"))
                .mapToInt(s -> s.to() - s.from()).sum();
        assertEquals(0, slowUnits, "the slow device is left out: " + last.stages());
        assertFalse(r.recoveries().stream().findAny().isPresent(), "no failure: " + r.recoveries());
        assertEquals(4096, r.epochs().get(0).samples(), "every sample trained once across the re-plan");
        assertEquals(0, r.duplicateMicroBatches());
        assertTrue(r.events().stream().anyMatch(e -> e.contains("stages all prepared")), r.events().toString());
        assertPreparedBeforeAssigned(replanned);
    }

    /** Every device whose stage changed at {@code term} was asked to prepare it, before its assign. */
    private void assertPreparedBeforeAssigned(JobReport.Term term) {
        List<Message> sent = List.copyOf(devices.sent);
        for (JobReport.Stage s : term.stages()) {
            int assign = indexOf(sent, m -> m instanceof Message.Assign a && a.term() == term.term()
                    && a.stage() == s.stage());
            int prepare = indexOf(sent, m -> m instanceof Message.Prepare p && p.term() == term.term() - 1
                    && p.stage() == s.stage());
            assertTrue(assign >= 0, "stage " + s.stage() + " assigned");
            assertTrue(prepare >= 0 && prepare < assign, "stage " + s.stage() + " prepared first");
        }
    }

    private static int indexOf(List<Message> sent, java.util.function.Predicate<Message> which) {
        for (int i = 0; i < sent.size(); i++) {
            if (which.test(sent.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aReplanWaitsForPreparationsAtMostTheirTimeout() throws Exception {
        devices.answersPrepare = false;
        devices.join("d0", 1);
        devices.join("d1", 1);
        devices.join("slow", 20);
        // Longer than the timeout, on the fake clock.
        int samples = (int) (2 * Replans.PREPARE_TIMEOUT_MILLIS / FakeDevices.MILLIS_PER_MICRO_BATCH)
                * FakeJobs.MICRO_BATCH;
        JobReport r = run(job(JobSpec.ADAPTIVE, 3, samples), JobListener.NONE);

        assertTrue(r.terms().size() >= 2, "re-planned all the same: " + r.events());
        String waited = r.events().stream().filter(e -> e.contains("stages not all prepared")).findFirst()
                .orElseThrow(() -> new AssertionError(r.events().toString()));
        assertTrue(waited.contains("prepared in " + Replans.PREPARE_TIMEOUT_MILLIS + " ms"), waited);
        assertEquals(samples, r.epochs().get(0).samples(), "every sample trained once across the re-plan");
    }

    @Test
    void withoutReplayingTheRestoredUnitsUpdatesAreLostAndCounted() throws Exception {
        JobReport r = killD1(new JobSpec.Replication(JobDefaults.CHAIN_PERIOD, JobDefaults.GLOBAL_PERIOD, false));

        JobReport.Recovery recovery = r.recoveries().get(0);
        assertTrue(recovery.resumedFrom() > 0, recovery.toString());
        assertEquals(0, recovery.caughtUp());
        assertEquals(recovery.resumedFrom(), recovery.iterationsLost());
        assertEquals(recovery.resumedFrom(), r.iterationsLost());
        assertEquals(0, r.updatesAppliedTwice());
        assertEquals(512, r.epochs().get(0).samples(), "every sample trained once");
        assertEquals(0, r.duplicateMicroBatches());
    }

    private static Map<Integer, Long> nonZero(Map<Integer, Long> m) {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        var all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
