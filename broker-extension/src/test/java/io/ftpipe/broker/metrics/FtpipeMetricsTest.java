package io.ftpipe.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.status.DeviceEvent;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Message.Heartbeat;
import io.ftpipe.protocol.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bookkeeping against a plain registry, as HiveMQ's would hold it. */
class FtpipeMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final FtpipeMetrics metrics = new FtpipeMetrics(registry);

    private long count(String name) {
        return registry.getCounters().get(name).getCount();
    }

    private Object gauge(String name) {
        return registry.getGauges().get(name).getValue();
    }

    private static Message.Heartbeat beat(String d, int stage, long forwards, long finished, double compute,
                                          double stageMillis, long replicated) {
        return new Heartbeat(d, 0, new Heartbeat.Activity("training", "j", 1, stage), 0, 0,
                new Heartbeat.StageTime(compute, 0, stageMillis), new Heartbeat.StageCounts(forwards, finished, 0),
                new Heartbeat.Replication(replicated, 0), Heartbeat.Boundary.NONE);
    }

    private static JobReport.Term term(long n, String reason) {
        return new JobReport.Term(n, 0, 0, List.of(), 1, Map.of(), reason);
    }

    @Test
    void samplesAreMicroBatchesFinishedTimesTheirSizeAndARewindIsNotNegative() {
        JobListener job = metrics.job(16, 0);
        job.microBatchDone(4, 0.5);
        job.microBatchDone(10, 0.5);
        assertEquals(160, registry.meter(FtpipeMetrics.SAMPLES).getCount());
        job.microBatchDone(7, 0.5); // a recovery rewound to micro-batch 7
        job.microBatchDone(9, 0.5); // 8 and 9 trained again
        assertEquals(192, registry.meter(FtpipeMetrics.SAMPLES).getCount());
    }

    @Test
    void aResumedJobCountsOnlyWhatItTrainsHere() {
        metrics.job(8, 100).microBatchDone(103, 0.1);
        assertEquals(24, registry.meter(FtpipeMetrics.SAMPLES).getCount());
    }

    @Test
    void replansRecoveriesAndFailedDevicesAreCounted() {
        JobListener job = metrics.job(1, 0);
        job.termStarted(term(1, "speed-blind start"));
        job.termStarted(term(2, "measured capacities"));
        job.replanned(term(2, "measured capacities"));
        job.recovered(new JobReport.Recovery(3, 1, Double.NaN, List.of("a (connection lost)", "b (connection lost)"),
                "failed", 10, 3, 5, Map.of()));
        job.recovered(new JobReport.Recovery(4, 2, Double.NaN, List.of(), "stalled", 12, 2, 0, Map.of()));
        assertEquals(1, count(FtpipeMetrics.REPARTITIONS));
        assertEquals(2, count(FtpipeMetrics.RECOVERIES));
        assertEquals(2, count(FtpipeMetrics.DEVICES_FAILED));
    }

    @Test
    void rejectionsAndDeviceEventsAreCountedByKindAndEveryReasonStartsAtZero() {
        metrics.rejected(RejectReason.STALE_TERM);
        metrics.rejected(RejectReason.STALE_TERM);
        metrics.deviceEvent(new DeviceEvent("d", DeviceEvent.Kind.DEATH, "last will", 1));
        assertEquals(2, count("ftpipe.rejected.stale_term"));
        assertEquals(0, count("ftpipe.rejected.malformed"));
        assertEquals(1, count("ftpipe.devices.deaths"));
        assertEquals(0, count("ftpipe.devices.births"));
    }

    @Test
    void heartbeatsGiveEachDeviceItsStageTimesAndCountReplicatedBytes() {
        metrics.heartbeat(beat("gw-1", 2, 1, 1, 0, 0, 1000));
        assertEquals(2, gauge("ftpipe.device.gw-1.stage"));
        assertTrue(Double.isNaN((Double) gauge("ftpipe.device.gw-1.compute.ms")), "nothing measured yet");
        metrics.heartbeat(beat("gw-1", 2, 5, 5, 40, 100, 1500));
        assertEquals(10.0, gauge("ftpipe.device.gw-1.compute.ms"));
        assertEquals(0.0, gauge("ftpipe.device.gw-1.send.ms"));
        assertEquals(15.0, gauge("ftpipe.device.gw-1.wait.ms"));
        assertEquals(500, count(FtpipeMetrics.REPLICATION_BYTES));
        // The Last Will carries zeros: not a restart of the count.
        metrics.heartbeat(Heartbeat.lastWill("gw-1"));
        metrics.heartbeat(beat("gw-1", 2, 6, 6, 50, 120, 1600));
        assertEquals(600, count(FtpipeMetrics.REPLICATION_BYTES));
        metrics.heartbeat(new Heartbeat("gw-1", 9, Heartbeat.Activity.IDLE, 0, 0, Heartbeat.StageTime.NONE,
                Heartbeat.StageCounts.NONE, new Heartbeat.Replication(1600, 0), Heartbeat.Boundary.NONE));
        assertEquals(-1, gauge("ftpipe.device.gw-1.stage"));
    }

    @Test
    void snapshotHasPlainNumbersAndCloseLeavesNothingBehind() {
        metrics.countDevices(() -> 2, () -> 3);
        metrics.job(4, 0).microBatchDone(5, 0);
        metrics.heartbeat(beat("gw-1", 0, 1, 1, 0, 0, 0));
        Map<String, Number> snapshot = FtpipeMetrics.snapshot(registry);
        assertEquals(20L, snapshot.get("ftpipe.samples"));
        assertTrue(snapshot.containsKey("ftpipe.samples.mean_rate"));
        assertEquals(2, snapshot.get("ftpipe.devices.alive"));
        assertEquals(3, snapshot.get("ftpipe.devices.known"));
        assertEquals(0L, snapshot.get("ftpipe.rejected.oversized"));
        assertFalse(snapshot.containsKey("ftpipe.device.gw-1.compute.ms"), "NaN: no value yet, left out");
        registry.counter("com.hivemq.other");

        metrics.close();
        assertEquals(List.of("com.hivemq.other"), List.copyOf(registry.getNames()));
    }

    @Test
    void aNewNodeTakesOverTheGaugesOfAnOldOne() {
        metrics.countDevices(() -> 1, () -> 1);
        new FtpipeMetrics(registry).countDevices(() -> 5, () -> 6);
        assertEquals(5, gauge(FtpipeMetrics.DEVICES_ALIVE));
    }
}
