package io.ftpipe.it;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.bench.ExportedWeights;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 25, item 2: a synchronous (GPipe) job that loses devices rolls every unit back to one step
 * and trains on from there, so it ends with the weights of the same job without failures. GPipe's
 * updates do not depend on the layout (the same job on one, two or three devices ends bit for bit
 * equal), so the recovery's new layout changes nothing either.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynchronousRecoveryIT {
    /** 100 steps of 4 micro-batches; a round of replicas every 8 micro-batches (chain) and 24 (global). */
    private static final int SAMPLES = 3_200;
    private static final JobSpec.Replication REPLICATION = new JobSpec.Replication(8, 24);

    @TempDir
    static Path work;
    static Cluster cluster;
    static Map<String, float[]> failureFree;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(work);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void killDevices() throws Exception {
        cluster.killAll();
    }

    private static JobSpec job(String id) {
        return job(id, REPLICATION);
    }

    private static JobSpec job(String id, JobSpec.Replication replication) {
        return new JobSpec(id, "cnn", 3, "gpipe", 32, 4, 1, OptimizerConfig.adam(1e-3, 0), 7, 0, SAMPLES,
                JobSpec.SPEED_BLIND, replication);
    }

    @Test
    @Order(1)
    void failureFreeReference() throws Exception {
        cluster.startDevices("ref-", 3);
        JobReport r = cluster.run(job("sync-reference"));
        assertEquals(List.of(), r.recoveries());
        failureFree = ExportedWeights.read(Path.of(r.modelPath()));
    }

    @Test
    @Order(2)
    void oneKilledDevice() throws Exception {
        cluster.startDevices("one-", 3);
        killAndCompare("sync-one", 130, stages -> List.of(stages.get(1).device()));
    }

    @Test
    @Order(3)
    void twoAdjacentDevices() throws Exception {
        cluster.startDevices("adj-", 3);
        killAndCompare("sync-adjacent", 173, stages -> List.of(stages.get(1).device(), stages.get(2).device()));
    }

    @Test
    @Order(4)
    void allButOneDevice() throws Exception {
        cluster.startDevices("last-", 3);
        JobReport r = killAndCompare("sync-all-but-one", 211, stages -> List.of(stages.get(0).device(),
                stages.get(2).device()));
        assertEquals(1, r.stages().size(), "one device trains the whole model: " + r.stages());
    }

    /**
     * The control: without replaying what is lost, a recovery does not roll back, the restored unit
     * misses updates, and the weights end elsewhere. So the comparison above can tell.
     */
    @Test
    @Order(5)
    void withoutTheRollBackTheWeightsDiffer() throws Exception {
        cluster.startDevices("ctl-", 3);
        FaultAt kill = FaultAt.onStage(130, 1, devices -> cluster.kill(devices.toArray(String[]::new)));
        JobReport r = cluster.run(job("sync-control", new JobSpec.Replication(8, 24, false)), kill);
        assertFalse(r.recoveries().isEmpty(), "recovered: " + r.events());
        double diff = ExportedWeights.maxRelativeDifference(failureFree, ExportedWeights.read(Path.of(r.modelPath())));
        assertTrue(diff > 1e-3, "max relative difference " + diff + "; recoveries " + r.recoveries());
    }

    private static JobReport killAndCompare(String id, long killAt,
                                            Function<List<JobReport.Stage>, List<String>> victims) throws Exception {
        FaultAt kill = new FaultAt(killAt, victims, devices -> cluster.kill(devices.toArray(String[]::new)));
        JobReport r = cluster.run(job(id), kill);
        assertFalse(kill.devices().isEmpty(), "the devices were killed");
        assertFalse(r.recoveries().isEmpty(), "recovered: " + r.events());
        JobReport.Recovery recovery = r.recoveries().get(0);
        assertEquals(1, recovery.sources().values().stream().map(s -> s.replaceAll(" @(\\d+).*", "@$1"))
                .map(s -> s.substring(s.indexOf('@'))).distinct().count(), "every unit from one step: " + recovery);
        assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
        assertEquals(0, r.duplicateMicroBatches());
        assertEquals(0, r.iterationsLost());
        assertEquals(0, r.updatesAppliedTwice());
        double diff = ExportedWeights.maxRelativeDifference(failureFree, ExportedWeights.read(Path.of(r.modelPath())));
        System.err.println(id + ": max relative difference to the failure-free weights " + diff);
        assertTrue(diff <= 1e-6, "weights against the failure-free run: max relative difference " + diff
                + "; recoveries " + r.recoveries());
        return r;
    }
}
