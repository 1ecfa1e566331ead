package io.ftpipe.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    @ParameterizedTest(name = "{0}, stage {1} of {2}, {3} micro-batches per step")
    @CsvSource(delimiter = '|', textBlock = """
            # schedule   | stage | stages | micro | limit | stashes | steps after each
            1f1b         | 0     | 3      | 1     | 3     | true    | true
            1f1b         | 1     | 3      | 1     | 2     | true    | true
            1f1b         | 2     | 3      | 1     | 1     | false   | true
            1f1b         | 0     | 1      | 1     | 1     | false   | true
            1f1b         | 0     | 3      | 4     | 3     | true    | true
            1f1b-overlap | 0     | 3      | 1     | 5     | true    | true
            1f1b-overlap | 1     | 3      | 1     | 3     | true    | true
            1f1b-overlap | 2     | 3      | 1     | 1     | false   | true
            1f1b-overlap | 0     | 1      | 1     | 1     | false   | true
            gpipe        | 0     | 3      | 4     | 4     | false   | false
            gpipe        | 1     | 3      | 4     | 4     | false   | false
            gpipe        | 2     | 3      | 4     | 4     | false   | false
            gpipe        | 0     | 1      | 2     | 2     | false   | false
            """)
    void eachScheduleAndStagePositionHasItsRules(String name, int stage, int stages, int micro, int limit,
                                                 boolean stashes, boolean stepsAfterEach) {
        StageRules rules = Schedule.named(name).at(stage, stages, micro);
        assertEquals(limit, rules.inFlightLimit(), "in-flight limit");
        assertEquals(stashes, rules.stashesWeights(), "stashes weights");
        assertEquals(stepsAfterEach, rules.stepsAfterEach(), "steps after each micro-batch");
        assertTrue(rules.admitsForward(limit - 1), "a forward below the limit");
        assertFalse(rules.admitsForward(limit), "a forward at the limit");
        assertTrue(rules.stepsAfter(micro), "a step after the step's last micro-batch");
        assertEquals(stepsAfterEach, rules.stepsAfter(micro - 1), "a step before the step's last micro-batch");
    }

    @Test
    void pipeDreamHoldsOnePerStageDownstream() {
        assertEquals("[4, 3, 2, 1]", Arrays.toString(limits(Schedule.ONE_F_ONE_B)));
    }

    @Test
    void overlappingAddsOnePerBoundaryDownstream() {
        assertEquals("[7, 5, 3, 1]", Arrays.toString(limits(Schedule.ONE_F_ONE_B_OVERLAP)));
        assertEquals(1, Schedule.ONE_F_ONE_B_OVERLAP.at(0, 1, 1).inFlightLimit(),
                "a single stage runs each backward right after its forward");
    }

    @Test
    void theCentralNodeFeedsGPipeAStepAndOneFOneBTwoBeyondStageZerosLimit() {
        assertEquals(5, Schedule.ONE_F_ONE_B.feedLimit(3, 1));
        assertEquals(7, Schedule.ONE_F_ONE_B_OVERLAP.feedLimit(3, 1));
        assertEquals(4, Schedule.GPIPE.feedLimit(3, 4), "GPipe: a step's micro-batches");
        assertTrue(Schedule.GPIPE.accumulates());
        assertFalse(Schedule.ONE_F_ONE_B.accumulates());
        assertFalse(Schedule.ONE_F_ONE_B_OVERLAP.accumulates());
    }

    @Test
    void aStageOutsideThePipelineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Schedule.ONE_F_ONE_B.at(3, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> Schedule.ONE_F_ONE_B_OVERLAP.at(-1, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> Schedule.GPIPE.at(0, 3, 0));
    }

    @Test
    void anUnknownScheduleIsNamedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.named("pipedream"));
        assertEquals("unknown schedule 'pipedream'; known: 1f1b, 1f1b-overlap, gpipe", e.getMessage());
        for (Schedule s : Schedule.values()) {
            assertEquals(s, Schedule.named(s.wireName()));
        }
    }

    private static int[] limits(Schedule s) {
        return IntStream.range(0, 4).map(stage -> s.at(stage, 4, 1).inFlightLimit()).toArray();
    }
}
