package io.ftpipe.broker.central;

import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.WireDtype;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.SyntheticDataset;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class FeederTest {
    private record Sent(long iteration, Tensor images, Tensor labels) {
    }

    private final Dataset data = SyntheticDataset.generate(64, 3);
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final Feeder feeder = feeder(WireDtype.FLOAT32);

    private Feeder feeder(WireDtype wire) {
        return new Feeder(() -> data, 5, wire, (i, x, y) -> sent.add(new Sent(i, x, y)), now::get);
    }

    @Test
    void aReplayResendsTheSameSamplesInOrderFromTheFirstUnfinished() {
        feeder.newEpoch(0);
        for (int i = 0; i < 4; i++) {
            feeder.feed(i, i * 16, 16);
        }
        feeder.forgetBefore(2);
        sent.clear();
        feeder.replayFrom(2);
        assertEquals(List.of(2L, 3L), sent.stream().map(Sent::iteration).toList());
        Feeder again = feeder(WireDtype.FLOAT32);
        again.newEpoch(0);
        again.feed(2, 32, 16);
        assertArrayEquals(sent.get(0).images().data(), sent.get(2).images().data(), "same samples as the first time");
        assertArrayEquals(sent.get(0).labels().data(), sent.get(2).labels().data());
        assertEquals(List.of(16L, 1L, 28L, 28L), Arrays.stream(sent.get(0).images().shape()).boxed().toList());
    }

    @Test
    void theAgeOfTheOldestUnfinishedMicroBatchShowsAStall() {
        feeder.newEpoch(0);
        feeder.feed(0, 0, 16);
        now.addAndGet(500);
        feeder.feed(1, 16, 16);
        now.addAndGet(250);
        assertEquals(750, feeder.ageMillis(0).getAsLong());
        assertEquals(250, feeder.ageMillis(1).getAsLong());
        assertTrue(feeder.ageMillis(2).isEmpty(), "nothing fed from there on");
        feeder.newEpoch(1);
        assertTrue(feeder.ageMillis(0).isEmpty(), "a new epoch starts with nothing in flight");
    }

    @Test
    void inputsTravelInTheJobsWireDtype() {
        Feeder half = feeder(WireDtype.FLOAT16);
        half.newEpoch(0);
        half.feed(0, 0, 16);
        feeder.newEpoch(0);
        feeder.feed(0, 0, 16);
        Tensor h = sent.get(0).images();
        Tensor f = sent.get(1).images();
        assertEquals(Tensor.FLOAT16, h.dtype());
        assertEquals(f.data().length / 2, h.data().length, "half the bytes");
        FloatBuffer back = FloatBuffer.allocate((int) h.elements());
        WireDtype.decode(h, back);
        FloatBuffer exact = f.buffer().asFloatBuffer();
        for (int i = 0; i < back.capacity(); i++) {
            assertEquals(exact.get(i), back.get(i), Math.abs(exact.get(i)) * 0x1p-11 + 1e-7, "element " + i);
        }
    }
}
