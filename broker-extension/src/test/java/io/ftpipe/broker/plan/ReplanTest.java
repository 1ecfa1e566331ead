package io.ftpipe.broker.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplanTest {

    private static final Plan CURRENT = taking(100);

    @Test
    void replansWhenTheGainRepaysTheMigrationAndBeatsTheThreshold() {
        // 20 ms saved x 100 micro-batches = 2000 ms > 1000 ms migration; 20 % > 10 %.
        assertTrue(Replan.worthIt(CURRENT, taking(80), 1000, 100, 0.1));
    }

    @Test
    void staysWhenTooLittleWorkRemainsToRepayTheMigration() {
        // 20 ms x 40 = 800 ms < 1000 ms.
        assertFalse(Replan.worthIt(CURRENT, taking(80), 1000, 40, 0.1));
        assertFalse(Replan.worthIt(CURRENT, taking(80), 1000, 50, 0.1), "break-even is not a gain");
    }

    @Test
    void staysWhenTheRelativeGainIsBelowTheThreshold() {
        // 5 % better would repay a free migration many times over, but it is within measurement noise.
        assertFalse(Replan.worthIt(CURRENT, taking(95), 0, 1_000_000, 0.1));
        assertTrue(Replan.worthIt(CURRENT, taking(95), 0, 1_000_000, 0.04));
    }

    @Test
    void neverMovesToAnEqualOrWorsePlan() {
        assertFalse(Replan.worthIt(CURRENT, taking(100), 0, 1_000_000, 0));
        assertFalse(Replan.worthIt(CURRENT, taking(120), 0, 1_000_000, 0));
    }

    @Test
    void rejectsNegativeArguments() {
        assertThrows(IllegalArgumentException.class, () -> Replan.worthIt(CURRENT, taking(80), -1, 100, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Replan.worthIt(CURRENT, taking(80), 0, -1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Replan.worthIt(CURRENT, taking(80), 0, 100, -0.1));
    }

    private static Plan taking(double millis) {
        return Plan.of(List.of(new Stage("a", 0, 1, millis, 0)));
    }
}
