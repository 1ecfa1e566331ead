package io.ftpipe.it;

import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.demo.BrokerFacts;
import io.ftpipe.cli.demo.DemoBroker;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The usual edge topology (issue 24): device JVMs on a site mosquitto, the central node a client
 * of a core mosquitto, the site bridged to the core ({@code MosquittoBridge}). Everything the central
 * node hears of a device crosses the bridge: its hello, heartbeats, replies and, when it is
 * SIGKILLed, the Last Will the site broker publishes for it.
 */
class BridgedSitesIT {
    private static final int SAMPLES = 3_200;
    private static final long KILL_AT = 40;

    @TempDir
    static Path work;
    static DemoBroker brokers;
    static DeviceFleet fleet;

    @BeforeAll
    static void start() throws Exception {
        brokers = DemoBroker.start(BrokerFacts.MOSQUITTO_BRIDGED, work);
        fleet = new DeviceFleet(work.resolve("devices"), id -> Map.of("--broker-url", brokers.url()));
        List<String> ids = fleet.start("site-", 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> brokers.central().registry().alive(5000).containsAll(ids));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    void aJobTrainsAcrossTheBridgeAndRecoversFromADeviceKilledAtTheSite() throws Exception {
        FaultAt kill = FaultAt.onStage(KILL_AT, 1, devices -> fleet.kill(devices.get(0)));
        JobSpec job = new JobSpec("bridged", "cnn", 3, Schedule.Names.ONE_F_ONE_B, 32, 1, 1,
                OptimizerConfig.adam(JobDefaults.LR, 0), 7, 0, SAMPLES, JobSpec.SPEED_BLIND,
                new JobSpec.Replication(10, 20));
        JobReport r = brokers.central().submit(job, kill).get(10, TimeUnit.MINUTES);

        assertEquals(SAMPLES, r.epochs().get(0).samples(), "every sample trained once in the epoch");
        assertEquals(0, r.duplicateMicroBatches());
        assertEquals(1, r.recoveries().size(), "one recovery: " + r.events());
        assertTrue(r.recoveries().get(0).failed().get(0).startsWith(kill.device() + " "), r.recoveries().toString());
        assertFalse(Double.isNaN(r.recoveries().get(0).resumedAtSeconds()), "training resumed: " + r.events());
        assertTrue(r.testAccuracy() > 0.6, "learned: " + r.epochs());
    }
}
