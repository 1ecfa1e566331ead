package io.ftpipe.it;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.bench.ChaosOutcome;
import io.ftpipe.cli.bench.ChaosPlan;
import io.ftpipe.cli.bench.ChaosRun;
import io.ftpipe.cli.bench.ExportedWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bench chaos}'s machinery in small, for the fault no other test does: the central node
 * killed during a re-plan. An adaptive GPipe job on two devices, one four times slower than the
 * other, starts speed-blind and re-plans once their speeds are measured; as that re-plan starts,
 * the broker's JVM is SIGKILLed and started again. The job must end with every invariant of a
 * chaos run, the failure-free run's weights among them.
 */
class ChaosIT {
    private static final ChaosRun.Setup SETUP = new ChaosRun.Setup("mobilenetv2", List.of(2, 8), 32, 4, 3_200, 1, 7,
            new JobSpec.Replication(25, 50));

    @TempDir
    Path work;

    @Test
    void theCentralNodeKilledDuringAReplan() throws Exception {
        ChaosRun.Result reference = ChaosRun.run(SETUP, List.of(), work.resolve("reference"), System.out::println);
        assertNotNull(reference.report(), reference.error());
        // Due at once: armed as the first term starts, before its measured speeds call for a re-plan.
        List<ChaosPlan.Fault> plan = List.of(new ChaosPlan.Fault(0, ChaosPlan.Kind.BROKER, 0));
        ChaosRun.Result run = ChaosRun.run(SETUP, plan, work.resolve("chaos"), System.out::println);
        assertNotNull(run.report(), run.error());

        List<ChaosOutcome.Fault> faults = ChaosOutcome.faults(run.faults(), run.report().recoveries(),
                run.report().terms());
        assertEquals(List.of("broker"), faults.stream().map(ChaosOutcome.Fault::kind).toList());
        assertEquals(ChaosRun.DURING_REPLAN, faults.get(0).when(), "killed as the re-plan started: " + faults);
        assertTrue(run.report().events().stream().anyMatch(e -> e.contains("resuming job")), run.report().events()
                .toString());
        double diff = ExportedWeights.maxRelativeDifference(ExportedWeights.read(Path.of(reference.report()
                .modelPath())), ExportedWeights.read(Path.of(run.report().modelPath())));
        List<ChaosOutcome.Invariant> broken = ChaosOutcome.invariants(run.report(), null, reference.report(), diff,
                SETUP.samples(), SETUP.epochs(), faults).stream().filter(i -> !i.holds()).toList();
        assertEquals(List.of(), broken, "events: " + run.report().events());
    }
}
