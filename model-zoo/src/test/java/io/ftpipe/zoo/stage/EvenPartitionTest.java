package io.ftpipe.zoo.stage;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EvenPartitionTest {

    @Test
    void minimisesTheLargestStageLikeBruteForce() {
        Random r = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(8);
            long[] costs = r.longs(n, 1, 100).toArray();
            int stages = 1 + r.nextInt(n);
            int[] b = EvenPartition.split(costs, stages);
            assertEquals(0, b[0]);
            assertEquals(n, b[stages]);
            for (int s = 0; s < stages; s++) {
                assertEquals(true, b[s] < b[s + 1], "empty stage");
            }
            assertEquals(bruteForce(costs, stages, 0, 0), largest(costs, b));
        }
    }

    @Test
    void simpleCase() {
        assertArrayEquals(new int[]{0, 2, 3, 4}, EvenPartition.split(new long[]{1, 1, 2, 2}, 3));
    }

    @Test
    void tooManyStagesIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> EvenPartition.split(new long[]{1, 2}, 3));
        assertEquals("cannot split 2 units into 3 stages (need 1 <= stages <= 2)", e.getMessage());
    }

    private static long largest(long[] costs, int[] b) {
        long worst = 0;
        for (int s = 0; s + 1 < b.length; s++) {
            long sum = 0;
            for (int i = b[s]; i < b[s + 1]; i++) {
                sum += costs[i];
            }
            worst = Math.max(worst, sum);
        }
        return worst;
    }

    private static long bruteForce(long[] costs, int stages, int from, long worst) {
        if (stages == 1) {
            long sum = 0;
            for (int i = from; i < costs.length; i++) {
                sum += costs[i];
            }
            return Math.max(worst, sum);
        }
        long best = Long.MAX_VALUE;
        long sum = 0;
        for (int end = from + 1; end <= costs.length - stages + 1; end++) {
            sum += costs[end - 1];
            best = Math.min(best, bruteForce(costs, stages - 1, end, Math.max(worst, sum)));
        }
        return best;
    }
}
