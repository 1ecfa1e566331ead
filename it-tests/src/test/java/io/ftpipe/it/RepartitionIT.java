package io.ftpipe.it;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.broker.mqtt.BrokerMetrics;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Re-partitioning while training: three equal device JVMs, then the one holding the most compute
 * is told to run 8x slower. The central node only sees the device's measured times; it must move
 * work off that device, carry weights and optimizer state across, and still train every sample
 * exactly once.
 */
class RepartitionIT {
    private static final int SAMPLES = 12_800;
    private static final int BATCH = 32;

    @TempDir
    static Path work;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(work);
        cluster.startDevices("het-", 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aDeviceThatSlowsDownLosesWorkAndNoSampleIsLostOrRepeated() throws Exception {
        AtomicReference<JobReport.Stage> busiest = new AtomicReference<>();
        AtomicBoolean slowed = new AtomicBoolean();
        JobListener listener = new JobListener() {
            @Override
            public void termStarted(JobReport.Term term) {
                if (term.term() == 1) {
                    busiest.set(term.stages().stream()
                            .max(Comparator.comparingDouble(JobReport.Stage::predictedComputeMillis)).orElseThrow());
                }
            }

            @Override
            public void microBatchDone(long done, double loss) {
                if (done >= 40 && slowed.compareAndSet(false, true)) {
                    cluster.central().emulate(busiest.get().device(), 8).join();
                }
            }
        };
        JobReport r = cluster.run(new JobSpec("drift", "cnn", 3, "1f1b", BATCH, 1, 1, OptimizerConfig.adam(1e-3, 0),
                1, 0, SAMPLES, JobSpec.ADAPTIVE), listener);

        assertTrue(slowed.get());
        assertTrue(r.terms().size() >= 2, "re-planned after the slow-down: " + r.events());
        String slow = busiest.get().device();
        JobReport.Term last = r.terms().get(r.terms().size() - 1);
        double before = busiest.get().predictedComputeMillis(); // term 1 plans at reference speed
        double after = last.stages().stream().filter(s -> s.device().equals(slow))
                .mapToDouble(s -> s.predictedComputeMillis() / last.capacities().get(slow).slowdown()).sum();
        assertTrue(after < before / 2, "the slowed device's reference compute went from " + before + " to " + after
                + " ms: " + last);
        assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
        assertEquals(0, r.duplicateMicroBatches());
        // Weights and Adam state moved with the units: training goes on where it was, not from scratch.
        assertTrue(r.testAccuracy() >= 0.75, "test accuracy " + r.testAccuracy());
        List<Long> starts = r.terms().stream().map(JobReport.Term::start).toList();
        assertEquals(starts.stream().sorted().distinct().toList(), starts, "terms start at increasing micro-batches");
        // In HiveMQ's metric registry: every term after the first that no recovery started was a re-plan.
        assertEquals(r.terms().size() - 1 - r.recoveries().size(),
                BrokerMetrics.ftpipe().get(FtpipeMetrics.REPARTITIONS).longValue());
    }
}
