package io.ftpipe.zoo.stage;

/**
 * Splits units into contiguous stages of about equal cost, blind to device speeds: what
 * PipeDream's planner does, and the baseline that capacity-aware planning must beat.
 */
public final class EvenPartition {
    private EvenPartition() {
    }

    /**
     * @param costs per-unit cost (e.g. forward FLOPs)
     * @return stage boundaries b[0] = 0 < b[1] < ... < b[stages] = costs.length; stage s holds
     * units [b[s], b[s+1]). Minimises the largest stage cost (a small dynamic program).
     */
    public static int[] split(long[] costs, int stages) {
        int n = costs.length;
        if (stages < 1 || stages > n) {
            throw new IllegalArgumentException("cannot split " + n + " units into " + stages
                    + " stages (need 1 <= stages <= " + n + ")");
        }
        long[] prefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + costs[i];
        }
        // best[s][j]: the smallest possible largest stage cost of units [0, j) in s stages.
        long[][] best = new long[stages + 1][n + 1];
        int[][] cut = new int[stages + 1][n + 1];
        for (long[] row : best) {
            java.util.Arrays.fill(row, Long.MAX_VALUE);
        }
        best[0][0] = 0;
        for (int s = 1; s <= stages; s++) {
            for (int j = s; j <= n; j++) {
                for (int i = s - 1; i < j; i++) {
                    if (best[s - 1][i] == Long.MAX_VALUE) {
                        continue;
                    }
                    long worst = Math.max(best[s - 1][i], prefix[j] - prefix[i]);
                    if (worst < best[s][j]) {
                        best[s][j] = worst;
                        cut[s][j] = i;
                    }
                }
            }
        }
        int[] bounds = new int[stages + 1];
        bounds[stages] = n;
        for (int s = stages; s > 0; s--) {
            bounds[s - 1] = cut[s][bounds[s]];
        }
        return bounds;
    }
}
