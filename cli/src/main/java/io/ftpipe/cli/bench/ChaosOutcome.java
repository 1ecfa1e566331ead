package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;

import java.util.ArrayList;
import java.util.List;

/**
 * What a chaos run shows: for each fault, what detected it and how long the job took to train
 * again, and whether each invariant held. Pure.
 */
public final class ChaosOutcome {
    /** Largest difference of a weight to the failure-free run's, relative to its tensor's largest. */
    static final double WEIGHTS_TOLERANCE = 1e-6;
    static final double ACCURACY_TOLERANCE = 0.01;
    /** How the central node's recovery after its restart is reasoned. */
    static final String RESTARTED = "the central node restarted";

    /**
     * @param detectedBy           the recovery's reasons (a device fault), or the refusals (an echo)
     * @param detectionSeconds     from the fault until the job noticed (NaN for an echo)
     * @param trainingAgainSeconds from the fault until the first micro-batch finished after the recovery
     * @param when                 for a broker kill, whether a re-plan was under way; else empty
     */
    public record Fault(double atSeconds, String kind, List<String> devices, boolean detected, String detectedBy,
                        double detectionSeconds, double trainingAgainSeconds, String when) {
    }

    public record Invariant(String name, boolean holds, String detail) {
    }

    private ChaosOutcome() {
    }

    /**
     * Each fault with the recoveries detected after it and before the next fault ({@code injected}
     * in time order): it was detected if they name all its victims, and the first that names its
     * first victim gives the times; a broker kill, by the restarted central node's recovery. The
     * second failure during a recovery can land after the recovery is done with its device: a
     * device the recovery's term goes on without is not the job's, and has nothing to be detected.
     */
    public static List<Fault> faults(List<ChaosRun.Injected> injected, List<JobReport.Recovery> recoveries,
                                     List<JobReport.Term> terms) {
        List<Fault> out = new ArrayList<>();
        for (int k = 0; k < injected.size(); k++) {
            ChaosRun.Injected i = injected.get(k);
            if (i.kind() == ChaosPlan.Kind.ECHO) {
                // Not every copy reaches a device: one for a stage a device has since left finds no
                // subscriber. The weights invariant is what shows that none was applied.
                boolean refused = i.echoed() > 0 && i.refused() > 0;
                out.add(new Fault(i.atSeconds(), i.kind().label(), i.devices(), refused, "devices refused "
                        + i.refused() + " messages while " + i.echoed() + " copies were echoed to them", Double.NaN,
                        Double.NaN, i.when()));
                continue;
            }
            double next = k + 1 < injected.size() ? injected.get(k + 1).atSeconds() : Double.POSITIVE_INFINITY;
            // Wall clocks of one machine: a small margin covers the rounding of the fault's time.
            List<JobReport.Recovery> window = recoveries.stream()
                    .filter(r -> r.detectedAtSeconds() >= i.atSeconds() - 0.05 && r.detectedAtSeconds() < next).toList();
            if (i.kind() == ChaosPlan.Kind.BROKER) {
                JobReport.Recovery restart = window.stream().filter(r -> r.reason().contains(RESTARTED)).findFirst()
                        .orElse(null);
                out.add(new Fault(i.atSeconds(), i.kind().label(), i.devices(), restart != null,
                        restart == null ? "" : restart.reason(), times(restart, i)[0], times(restart, i)[1], i.when()));
                continue;
            }
            List<String> failed = window.stream().flatMap(r -> r.failed().stream()).toList();
            JobReport.Recovery first = window.stream().filter(r -> names(r.failed(), i.devices().get(0))).findFirst()
                    .orElse(null);
            List<String> leftOut = i.devices().stream().skip(1)
                    .filter(d -> !names(failed, d) && leftOutOfItsTerm(first, terms, d)).toList();
            boolean all = i.devices().stream().allMatch(d -> names(failed, d) || leftOut.contains(d));
            List<String> by = new ArrayList<>(failed);
            leftOut.forEach(d -> by.add(d + " (hit after the recovery was done with it: not in its term)"));
            out.add(new Fault(i.atSeconds(), i.kind().label(), i.devices(), all && first != null,
                    String.join("; ", by), times(first, i)[0], times(first, i)[1], i.when()));
        }
        return out;
    }

    /** Did the term that {@code recovery} started go on without {@code device}? */
    private static boolean leftOutOfItsTerm(JobReport.Recovery recovery, List<JobReport.Term> terms, String device) {
        return recovery != null && terms.stream().filter(t -> t.atSeconds() >= recovery.detectedAtSeconds())
                .findFirst().map(t -> !t.devices().contains(device)).orElse(false);
    }

    /** Detection and training-again seconds after the fault; NaN without a recovery. */
    private static double[] times(JobReport.Recovery r, ChaosRun.Injected i) {
        return r == null ? new double[]{Double.NaN, Double.NaN}
                : new double[]{r.detectedAtSeconds() - i.atSeconds(), r.resumedAtSeconds() - i.atSeconds()};
    }

    /** Failure reasons read "device (why)". */
    private static boolean names(List<String> failed, String device) {
        return failed.stream().anyMatch(f -> f.startsWith(device + " "));
    }

    /**
     * @param chaos       the run's report, null if the job failed ({@code error})
     * @param weightsDiff the run's weights against the failure-free run's (see {@link ExportedWeights})
     */
    public static List<Invariant> invariants(JobReport chaos, String error, JobReport failureFree, double weightsDiff,
                                             int samples, int epochs, List<Fault> faults) {
        List<Invariant> out = new ArrayList<>();
        out.add(new Invariant("the job completed", chaos != null, chaos != null ? "" : error));
        if (chaos == null) {
            return out;
        }
        List<Long> trained = chaos.epochs().stream().map(JobReport.Epoch::samples).toList();
        out.add(new Invariant("every sample trained once in every epoch",
                trained.size() == epochs && trained.stream().allMatch(n -> n == samples),
                "samples per epoch " + trained + ", expected " + epochs + " x " + samples));
        out.add(new Invariant("no micro-batch counted twice", chaos.duplicateMicroBatches() == 0,
                chaos.duplicateMicroBatches() + " duplicates"));
        out.add(new Invariant("no update lost", chaos.iterationsLost() == 0,
                "iterations lost " + chaos.iterationsLost()));
        out.add(new Invariant("no update applied twice", chaos.updatesAppliedTwice() == 0,
                "updates applied twice " + chaos.updatesAppliedTwice()));
        out.add(new Invariant("the failure-free weights, so no message of an old term applied",
                weightsDiff <= WEIGHTS_TOLERANCE, "max relative difference " + weightsDiff));
        double delta = chaos.testAccuracy() - failureFree.testAccuracy();
        out.add(new Invariant("accuracy within 1 point of the failure-free run", Math.abs(delta) <= ACCURACY_TOLERANCE,
                String.format("%.4f against %.4f", chaos.testAccuracy(), failureFree.testAccuracy())));
        List<String> missed = faults.stream().filter(f -> !f.detected())
                .map(f -> f.kind() + " at " + Math.round(f.atSeconds()) + " s").toList();
        out.add(new Invariant("every fault detected", missed.isEmpty(), missed.isEmpty() ? "" : "missed: " + missed));
        return out;
    }
}
