package io.ftpipe.broker.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The plan for fleets too large for {@link ExactProgram}: a local search over the order of the
 * devices along the pipeline, each order solved exactly by {@link OrderedProgram} (which also
 * picks the cuts and may leave devices out). A placement's time is set by its slowest stage or
 * boundary, so the moves that involve the devices there are tried first. Deterministic: the same
 * inputs give the same plan. Pure.
 */
final class OrderSearch {

    /**
     * Work the search may do on one call, in the same steps as {@link ExactProgram#WORK_BUDGET}
     * (one step extends one placement by one stage end): what keeps the largest fleet that
     * {@code ftpipe bench planner} reports well within the second the issue allows, on this
     * project's shared two-core machines.
     */
    static final double WORK_BUDGET = 4e8;

    /** Even a large fleet gets this many orders tried, so every starting order is improved on. */
    private static final int MIN_EVALUATIONS = 64;

    /**
     * Kicks in a row that find nothing better before the search stops: on small fleets the budget
     * would otherwise buy far more climbs than there are distinct orders.
     */
    private static final int FRUITLESS_KICKS = 200;

    private static final long KICK_SEED = 20261207L;

    private OrderSearch() {
    }

    /**
     * Climbs from the best of {@code starts}, then from the others, then, while the budget lasts,
     * from kicks of the best order found (iterated local search): a kick swaps devices at random
     * so that a climb can leave a plateau where no single move is strictly better, which the
     * slowest-stage objective has many of. The random draws are seeded, so the search stays a
     * function of its inputs.
     *
     * @param starts     orders to start from, best guesses first; each is a permutation of every device
     * @param keptPrefix as for {@link OrderedProgram#place}
     * @param bound      as for {@link OrderedProgram#place}
     * @return the best placement seen, complete if any order placed every unit
     */
    static Placement search(CostModel model, List<int[]> starts, long[][] keptPrefix, double bound) {
        Search search = new Search(model, keptPrefix, bound, evaluations(model.deviceCount(), model.unitCount()));
        Climbed best = null;
        List<Climbed> tried = new ArrayList<>();
        for (int[] start : starts) {
            Climbed placed = search.evaluate(start, null);
            tried.add(placed);
            if (best == null || placed.placement().betterThan(best.placement())) {
                best = placed;
            }
        }
        // The best start first: it gets the budget while there is most of it.
        tried.remove(best);
        tried.add(0, best);
        for (Climbed start : tried) {
            if (search.spent()) {
                break;
            }
            Climbed climbed = search.climb(start);
            if (climbed.placement().betterThan(best.placement())) {
                best = climbed;
            }
        }
        Random random = new Random(KICK_SEED);
        for (int fruitless = 0; fruitless < FRUITLESS_KICKS && !search.spent(); fruitless++) {
            // Half the climbs start anywhere: near a local optimum, good orders can be few and far.
            int[] start = fruitless % 2 == 0 ? kicked(best, random) : shuffled(best.order(), random);
            Climbed climbed = search.climb(search.evaluate(start, null));
            if (climbed.placement().betterThan(best.placement())) {
                fruitless = -1;
            }
            // Equal is accepted too: drifting along a plateau is how the next kick lands elsewhere.
            if (!best.placement().betterThan(climbed.placement())) {
                best = climbed;
            }
        }
        // The spread only guided the search; of the best order's fastest placements, the fewest stages.
        return OrderedProgram.place(model, best.order(), keptPrefix, bound, false);
    }

    /** Orders the search can afford: its work budget over the work of one ordered program. */
    static int evaluations(int devices, int units) {
        double work = (double) devices * devices * units / 2 + (double) devices * units * units / 2;
        return (int) Math.max(MIN_EVALUATIONS, Math.min(Integer.MAX_VALUE, WORK_BUDGET / Math.max(1, work)));
    }

    /** Two random swaps, each moving a device of the pipeline (or the first one left out). */
    private static int[] kicked(Climbed from, Random random) {
        int[] order = from.order().clone();
        int k = order.length;
        int used = Math.min(k, from.placement().stages() + 1);
        for (int swap = 0; swap < 2; swap++) {
            int a = random.nextInt(used);
            int b = random.nextInt(k);
            int device = order[a];
            order[a] = order[b];
            order[b] = device;
        }
        return order;
    }

    private static int[] shuffled(int[] order, Random random) {
        int[] out = order.clone();
        for (int i = out.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int device = out[i];
            out[i] = out[j];
            out[j] = device;
        }
        return out;
    }

    /** A placement and the order it came from, with its used devices first. */
    private record Climbed(Placement placement, int[] order) {
    }

    /** One search's inputs and what is left of its budget. */
    private static final class Search {
        private final CostModel model;
        private final long[][] keptPrefix;
        private final double bound;
        /**
         * Without bytes to keep, only a smaller bottleneck or fewer stages can win, so every
         * order may be solved bounded by the time of the placement it must beat: the program then
         * drops every longer stage at once, which is most of its work.
         */
        private final boolean timeFirst;
        private int left;

        Search(CostModel model, long[][] keptPrefix, double bound, int evaluations) {
            this.model = model;
            this.keptPrefix = keptPrefix;
            this.bound = bound;
            this.timeFirst = Arrays.stream(keptPrefix).allMatch(row -> row[row.length - 1] == 0);
            this.left = evaluations;
        }

        boolean spent() {
            return left <= 0;
        }

        /** The order's placement, bounded by {@code toBeat}'s time where that cannot lose a better one. */
        Climbed evaluate(int[] order, Climbed toBeat) {
            left--;
            double limit = bound;
            if (timeFirst && toBeat != null && toBeat.placement().complete(model.unitCount())) {
                limit = Math.min(limit, toBeat.placement().worst());
            }
            Placement placement = OrderedProgram.place(model, order, keptPrefix, limit, true);
            return new Climbed(placement, canonical(order, placement));
        }

        /** First-improvement hill climbing until no move helps or the budget is spent. */
        Climbed climb(Climbed start) {
            Climbed current = start;
            boolean improved = true;
            while (improved && !spent()) {
                improved = false;
                for (int[] neighbour : neighbours(model, current.order(), current.placement())) {
                    if (spent()) {
                        break;
                    }
                    Climbed candidate = evaluate(neighbour, current);
                    if (candidate.placement().betterThan(current.placement())) {
                        current = candidate;
                        improved = true;
                        break;
                    }
                }
            }
            return current;
        }
    }

    /**
     * The devices a placement uses, in pipeline order, then the rest in the order they had: moves
     * then act on the pipeline as it is, not on devices the program skipped.
     */
    static int[] canonical(int[] order, Placement placement) {
        int[] out = new int[order.length];
        boolean[] used = new boolean[order.length];
        int at = 0;
        for (int d : placement.devices()) {
            out[at++] = d;
            used[d] = true;
        }
        for (int d : order) {
            if (!used[d]) {
                out[at++] = d;
            }
        }
        return out;
    }

    /**
     * Swaps and moves of single devices. Those touching the slowest stage or boundary come first,
     * since only they can make a complete placement faster; the rest follow, which still matters
     * when bytes kept or the number of stages is what can improve.
     */
    private static List<int[]> neighbours(CostModel model, int[] order, Placement placement) {
        int k = order.length;
        List<int[]> hot = new ArrayList<>();
        List<int[]> cold = new ArrayList<>();
        boolean[] isHot = hotPositions(model, placement, k);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                if (a == b) {
                    continue;
                }
                boolean touchesHot = isHot[a] || isHot[b];
                if (a < b) {
                    (touchesHot ? hot : cold).add(swapped(order, a, b));
                }
                // Moving a device next to its neighbour is the swap above.
                if (Math.abs(a - b) > 1) {
                    (touchesHot ? hot : cold).add(moved(order, a, b));
                }
            }
        }
        hot.addAll(cold);
        return hot;
    }

    /**
     * Positions of the devices at the bottleneck: the slowest stage's, and both ends of the
     * slowest boundary. An incomplete placement has no bottleneck, so nothing is hot.
     */
    private static boolean[] hotPositions(CostModel model, Placement placement, int k) {
        boolean[] hot = new boolean[k];
        int[] devices = placement.devices();
        for (int s = 0, from = 0; s < devices.length; s++) {
            int to = placement.ends()[s];
            if (model.computeMillis(devices[s], from, to) == placement.worst()) {
                hot[s] = true;
            }
            if (s + 1 < devices.length && model.sendMillis(devices[s], devices[s + 1], to) == placement.worst()) {
                hot[s] = true;
                hot[s + 1] = true;
            }
            from = to;
        }
        return hot;
    }

    private static int[] swapped(int[] order, int a, int b) {
        int[] out = order.clone();
        out[a] = order[b];
        out[b] = order[a];
        return out;
    }

    /** The device at {@code from} taken out and put back at {@code to}. */
    private static int[] moved(int[] order, int from, int to) {
        int[] out = order.clone();
        int device = order[from];
        if (from < to) {
            System.arraycopy(order, from + 1, out, from, to - from);
        } else {
            System.arraycopy(order, to, out, to + 1, from - to);
        }
        out[to] = device;
        return out;
    }

    /**
     * Where to start: the fastest devices first, the roomiest first, the slowest first, and the
     * order given; the caller may put an order of its own (the running layout) in front.
     */
    static List<int[]> startingOrders(CostModel model) {
        int k = model.deviceCount();
        List<int[]> starts = new ArrayList<>();
        Comparator<Integer> fastest = Comparator.comparingDouble(d -> model.device(d).slowdown());
        Comparator<Integer> roomiest = Comparator.comparingLong(d -> -model.device(d).memoryBytes());
        starts.add(sorted(k, fastest.thenComparing(roomiest)));
        starts.add(sorted(k, roomiest.thenComparing(fastest)));
        starts.add(sorted(k, fastest.reversed().thenComparing(roomiest)));
        starts.add(IntStream.range(0, k).toArray());
        return starts;
    }

    private static int[] sorted(int k, Comparator<Integer> by) {
        return IntStream.range(0, k).boxed().sorted(by).mapToInt(Integer::intValue).toArray();
    }
}
