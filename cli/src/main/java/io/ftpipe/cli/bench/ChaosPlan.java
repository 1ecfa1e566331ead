package io.ftpipe.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a chaos run, drawn from a seed: which kind, when, and a number that picks the
 * victims among the job's devices of the moment (only known then). Kinds come in shuffled rounds
 * of one of each, so a run of a few rounds has every kind equally often. Pure.
 */
public final class ChaosPlan {
    /** What is done to the job's devices. */
    public enum Kind {
        /** SIGKILL, and the device started again a few seconds later, as a gateway reboots. */
        KILL("kill"),
        /** SIGSTOP past the heartbeat timeout, then SIGCONT: a gateway that stalls. */
        PAUSE("pause"),
        /** The device's link to the broker down past the heartbeat timeout, then up again. */
        OUTAGE("outage"),
        /** The job's stage messages delivered again, at once and late, for a while ({@link Echo}). */
        ECHO("echo"),
        /** A kill, and a second device paused as soon as the job notices: it fails during the recovery. */
        DURING_RECOVERY("during-recovery"),
        /**
         * The central node (the broker with the extension) SIGKILLed at the next layout change (a
         * re-plan, or the recovery from a device killed for it if none comes), and started again at
         * once by its service manager.
         */
        BROKER("broker");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * The job's devices it hits. The job need not keep one: the other devices of the run,
         * alive and idle, are what a recovery takes when the job has none left.
         */
        public int victims() {
            return switch (this) {
                case DURING_RECOVERY -> 2;
                case ECHO, BROKER -> 0;
                default -> 1;
            };
        }
    }

    /**
     * @param atSeconds when, after the job started
     * @param pick      picks the victims: the first is device {@code pick mod n} of the job's n devices
     */
    public record Fault(double atSeconds, Kind kind, long pick) {
        /** The {@code k}-th victim among {@code devices} (distinct for k below their number). */
        public <T> T victim(List<T> devices, int k) {
            return devices.get((int) Math.floorMod(pick + k, (long) devices.size()));
        }
    }

    private ChaosPlan() {
    }

    /**
     * Faults from {@code firstSeconds} until {@code seconds}, each {@code minGap} to {@code maxGap}
     * seconds after the one before.
     *
     * @throws IllegalArgumentException if the gaps are not positive and ordered
     */
    public static List<Fault> draw(long seed, double firstSeconds, double seconds, double minGap, double maxGap) {
        if (!(minGap > 0 && maxGap >= minGap)) {
            throw new IllegalArgumentException("gaps must satisfy 0 < min <= max, not " + minGap + ", " + maxGap);
        }
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        List<Kind> round = new ArrayList<>();
        for (double t = firstSeconds; t < seconds; t += minGap + random.nextDouble() * (maxGap - minGap)) {
            if (round.isEmpty()) {
                round.addAll(Arrays.asList(Kind.values()));
                Collections.shuffle(round, random);
            }
            faults.add(new Fault(t, round.remove(0), random.nextInt(1 << 20)));
        }
        return faults;
    }
}
