package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FaultScenarioTest {

    /** Devices named so that a mix-up of stage index and device shows. */
    private static final List<JobReport.Stage> LAYOUT = List.of(stage(0, "d3"), stage(1, "d0"), stage(2, "d2"),
            stage(3, "d1"));

    private static JobReport.Stage stage(int i, String device) {
        return new JobReport.Stage(i, device, i, i + 1, 1, 1);
    }

    @Test
    void singleKillsStageOnesDevice() {
        assertEquals(List.of("d0"), FaultScenario.named("single").victims(LAYOUT));
    }

    @Test
    void adjacentKillsStagesOneAndTwo() {
        assertEquals(List.of("d0", "d2"), FaultScenario.named("adjacent").victims(LAYOUT));
    }

    @Test
    void allButOneSparesOnlyStageOne() {
        assertEquals(List.of("d3", "d2", "d1"), FaultScenario.named("all-but-one").victims(LAYOUT));
        assertEquals(List.of(0), FaultScenario.ALL_BUT_ONE.victimStages(2));
    }

    @Test
    void tooFewStagesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FaultScenario.SINGLE.victimStages(1));
        assertThrows(IllegalArgumentException.class, () -> FaultScenario.ADJACENT.victimStages(2));
        assertEquals(List.of(1, 2), FaultScenario.ADJACENT.victimStages(3));
    }

    @Test
    void brokerRestartKillsNoDevice() {
        assertEquals(List.of(), FaultScenario.named("broker-restart").victims(LAYOUT));
    }

    @Test
    void anUnknownScenarioNamesTheKnownOnes() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> FaultScenario.named("meteor"));
        assertTrue(unknown.getMessage().contains("broker-restart"), unknown.getMessage());
    }

    @Test
    void theSynchronousScenariosHitTheSameDevicesInAGpipeJob() {
        assertEquals(List.of("d0"), FaultScenario.named("sync-single").victims(LAYOUT));
        assertEquals(List.of("d0", "d2"), FaultScenario.named("sync-adjacent").victims(LAYOUT));
        assertEquals(List.of(), FaultScenario.named("sync-broker-restart").victims(LAYOUT));
        assertTrue(FaultScenario.SYNC_BROKER_RESTART.restartsBroker());
        assertEquals(io.ftpipe.protocol.Schedule.GPIPE, FaultScenario.SYNC_SINGLE.schedule());
        assertEquals(io.ftpipe.protocol.Schedule.ONE_F_ONE_B, FaultScenario.SINGLE.schedule());
        assertEquals(1, FaultScenario.SINGLE.microBatches());
        assertFalse(FaultScenario.BROKER_RESTART.synchronous());
    }
}
