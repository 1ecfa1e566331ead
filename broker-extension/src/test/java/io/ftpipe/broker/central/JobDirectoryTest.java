package io.ftpipe.broker.central;

import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JobDirectoryTest {
    @TempDir
    Path data;

    private static JobCheckpoint checkpoint(String job, long startedMillis) {
        JobSpec spec = new JobSpec(job, "cnn", 3, "1f1b", 64, 1, 2, OptimizerConfig.adam(1e-3, 0), 7, 0, 1000,
                JobSpec.SPEED_BLIND, new JobSpec.Replication(25, 50));
        JobReport.Term term = new JobReport.Term(4, 120, 9.5, List.of(new JobReport.Stage(0, "d0", 0, 2, 1.5, 0.2),
                new JobReport.Stage(1, "d1", 2, 5, 1.7, 0)), 310.0, Map.of("d0", new JobReport.Capacity(1.1, Double.NaN)),
                "recovery");
        JobReport.Recovery recovery = new JobReport.Recovery(4, 9.0, Double.NaN, List.of("d2 (connection lost)"),
                "failed", 120, 3, 20, Map.of(0, "live @121", 4, "central @100"));
        return new JobCheckpoint(spec, startedMillis, List.of("d0", "d1", "d2"), 4, term,
                new ProgressLedger.Position(130, 51.5, 700, 1000), 133, startedMillis + 1000, 12.5,
                List.of(new JobReport.Epoch(1, 0.6, 0.8, 0.5, 0.82, 12.5, 1000)), List.of(term), List.of(recovery),
                Map.of("d0", new JobReplication.Counts(10, 2.5)), List.of("0.1s job submitted"), 2);
    }

    @Test
    void aCheckpointReadsBackEqualNaNsIncluded() throws Exception {
        JobCheckpoint c = checkpoint("a", 1_000);
        new JobDirectory(data, "a").checkpoint(c);
        List<JobCheckpoint> back = JobDirectory.unfinished(data);
        assertEquals(List.of(c), back);
        assertTrue(Double.isNaN(back.get(0).recoveries().get(0).resumedAtSeconds()));
        assertEquals(1, back.get(0).epochs().size());
    }

    @Test
    void aReportReadsBackAsTheBenchmarksReadItWithItsReplicationTimeAndTrainingTime() throws Exception {
        JobReport.Stage stage = new JobReport.Stage(0, "d0", 0, 5, 1.5, 0);
        JobReport.Term term = new JobReport.Term(1, 0, 0.5, List.of(stage), 300, Map.of(), "start");
        JobReport report = new JobReport("r", "cnn", "1f1b", 1_000, List.of("d0"), List.of(stage), List.of(term),
                List.of(new JobReport.Epoch(1, 0.6, 0.8, 0.5, 0.82, 30, 1000),
                        new JobReport.Epoch(2, 0.4, 0.9, 0.45, 0.85, 10, 1000)), 0.85, 50, 45, 0,
                Map.of("d0", new JobReport.Capacity(1, Double.NaN)), Double.NaN, List.of(), 0, 0, 0, 5_000_000, 1.25,
                List.of("0.1s job submitted"), Map.of(), "model.onnx");
        JobDirectory dir = new JobDirectory(data, "r");
        dir.finished(report);
        // As BrokerRestartRun reads it.
        JobReport back = new com.fasterxml.jackson.databind.ObjectMapper()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(dir.report().toFile(), JobReport.class);
        assertEquals(report, back);
        assertEquals(1.25, back.replicationSeconds());
        assertEquals(40, back.trainSeconds(), 1e-12, "the epochs' training time");
    }

    @Test
    void finishedFailedAndUnreadableJobsAreNotResumedTheRestAreOldestFirst() throws Exception {
        new JobDirectory(data, "late").checkpoint(checkpoint("late", 5_000));
        new JobDirectory(data, "early").checkpoint(checkpoint("early", 1_000));
        JobDirectory failed = new JobDirectory(data, "failed");
        failed.checkpoint(checkpoint("failed", 2_000));
        failed.failed("no device left");
        Path broken = data.resolve("jobs").resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(JobDirectory.CHECKPOINT), "{\"spec\": {\"id\": ");

        assertEquals(List.of("early", "late"), JobDirectory.unfinished(data).stream().map(c -> c.spec().id()).toList());
        assertFalse(Files.exists(data.resolve("jobs/failed").resolve(JobDirectory.CHECKPOINT)));
        assertTrue(Files.readString(data.resolve("jobs/failed").resolve(JobDirectory.FAILURE)).contains("no device"));
    }

    @Test
    void aNewJobOfTheSameIdClearsTheOutcomeOfTheOldOne() throws Exception {
        JobDirectory dir = new JobDirectory(data, "x");
        dir.checkpoint(checkpoint("x", 1));
        dir.failed("stopped");
        dir.clearOutcome();
        dir.checkpoint(checkpoint("x", 2));
        assertEquals(1, JobDirectory.unfinished(data).size());
    }

    @Test
    void microBatchesPerEpochCountsTheShortLastBatch() {
        assertEquals(300, Feeder.microBatchesPerEpoch(19_200, 64, 64));
        assertEquals(4 * 937 + 2, Feeder.microBatchesPerEpoch(60_000, 64, 16), "the last batch has 32 samples");
        assertEquals(5, Feeder.microBatchesPerEpoch(10, 4, 3), "batches of 4, 4 and 2: 2 + 2 + 1 micro-batches");
    }
}
