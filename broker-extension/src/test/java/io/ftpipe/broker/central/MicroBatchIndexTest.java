package io.ftpipe.broker.central;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MicroBatchIndexTest {

    @Test
    void locatesEveryMicroBatchAsTheTrainingLoopFeedsThem() {
        int samples = 10;
        int batch = 4;
        int micro = 3;
        // The training loop's order: per epoch, per batch, micro-batches of the batch, the last ones short.
        List<MicroBatchIndex.Location> fed = new ArrayList<>();
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int from = 0; from < samples; from += batch) {
                int end = Math.min(samples, from + batch);
                for (int m = from; m < end; m += micro) {
                    fed.add(new MicroBatchIndex.Location(epoch, m, Math.min(micro, end - m), m == from));
                }
            }
        }
        for (int i = 0; i < fed.size(); i++) {
            assertEquals(fed.get(i), MicroBatchIndex.locate(i, samples, batch, micro), "micro-batch " + i);
        }
        assertEquals(10, fed.size());
    }

    @Test
    void refusesANegativeIteration() {
        var e = assertThrows(IllegalArgumentException.class, () -> MicroBatchIndex.locate(-1, 10, 4, 2));
        assertEquals("cannot locate micro-batch -1 in 10 samples, batches of 4, micro-batches of 2", e.getMessage());
    }
}
