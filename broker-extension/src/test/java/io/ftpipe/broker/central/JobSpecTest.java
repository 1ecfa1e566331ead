package io.ftpipe.broker.central;

import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class JobSpecTest {
    private static final OptimizerConfig ADAM = OptimizerConfig.adam(1e-3, 0);

    @Test
    void adaptiveUnlessToldOtherwise() {
        assertTrue(new JobSpec("j", "cnn", 3, "1f1b", 64, 1, 1, ADAM, 1, 0, 0).adaptive());
        assertFalse(new JobSpec("j", "cnn", 3, "1f1b", 64, 1, 1, ADAM, 1, 0, 0, JobSpec.SPEED_BLIND).adaptive());
    }

    @Test
    void anUnknownPlannerIsNamedInTheError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new JobSpec("j", "cnn", 3, "1f1b", 64, 1, 1, ADAM, 1, 0, 0, "greedy"));
        assertTrue(e.getMessage().contains("greedy") && e.getMessage().contains(JobSpec.ADAPTIVE), e.getMessage());
    }
}
