package io.ftpipe.broker.central;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TermFillTest {
    private final TermFill fill = new TermFill();

    @Test
    void toldOnceWhenTheTermsFirstMicroBatchFinishesWithTheTimesOfItsFirstLossAndDone() {
        fill.started(3, 1_000);
        fill.loss(1_120);
        assertEquals(Optional.empty(), fill.untold(), "nothing finished yet");
        fill.loss(1_150);
        fill.done(1_300);
        fill.done(1_400);
        assertEquals(Optional.of("term 3 filled: first loss after 120 ms, first micro-batch finished after 300 ms"),
                fill.untold());
        assertEquals(Optional.empty(), fill.untold(), "told once");

        fill.started(4, 2_000);
        fill.done(2_050);
        assertEquals(Optional.of("term 4 filled: first micro-batch finished after 50 ms"), fill.untold(),
                "a new term is timed afresh");
    }
}
