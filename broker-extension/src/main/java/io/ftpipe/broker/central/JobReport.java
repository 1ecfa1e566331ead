package io.ftpipe.broker.central;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a job.
 *
 * @param stages                   the layout of the last term
 * @param terms                    every layout the job ran with, in order (re-plans start new ones)
 * @param duplicateMicroBatches    micro-batches reported finished more than once (0 unless a sample
 *                                 was trained twice)
 * @param capacities               what was measured of each device by the end
 * @param recostedSamplesPerSecond the last layout costed again with the capacities measured while it
 *                                 ran (NaN if a device in it was never measured): the cost model's
 *                                 prediction without the error of forecasting capacities
 * @param recoveries               every recovery from failed devices or a stuck pipeline
 * @param replayedMicroBatches     micro-batches fed again by recoveries (each still counted once)
 * @param iterationsLost           summed over the recoveries: each one's most micro-batches of updates a unit
 *                                 never got
 * @param updatesAppliedTwice      summed over the recoveries: each one's most micro-batches whose update a unit
 *                                 applied a second time
 * @param replicatedBytes          bytes of replicas the devices sent during the job
 * @param replicationSeconds       time the devices spent replicating during the job (capturing their
 *                                 units' states, encoding and publishing replicas, on their training
 *                                 threads), summed over the devices
 * @param startedMillis            when the job was submitted (wall clock): the zero of every
 *                                 {@code ...Seconds} in the report, for lining it up with outside events
 */
public record JobReport(String job, String model, String schedule, long startedMillis, List<String> devices,
                        List<Stage> stages, List<Term> terms, List<Epoch> epochs, double testAccuracy,
                        double samplesPerSecond, double seconds, long duplicateMicroBatches,
                        Map<String, Capacity> capacities, double recostedSamplesPerSecond, List<Recovery> recoveries,
                        long replayedMicroBatches, long iterationsLost, long updatesAppliedTwice,
                        long replicatedBytes, double replicationSeconds,
                        List<String> events, Map<String, Long> rejected, String modelPath) {

    /** The job's wall time training: its epochs' (samplesPerSecond is the samples over it). */
    public double trainSeconds() {
        return epochs.stream().mapToDouble(Epoch::trainSeconds).sum();
    }

    /**
     * Which device ran which units, and the time per micro-batch the planner predicted for its
     * compute and for the boundary after it.
     */
    public record Stage(int stage, String device, int from, int to, double predictedComputeMillis,
                        double predictedSendMillis) {
    }

    /**
     * One layout of the pipeline, from micro-batch {@code start} on.
     *
     * @param predictedSamplesPerSecond what the planner expected of it from the capacities it knew
     * @param capacities                what was measured of each device the plan was made from
     *                                  (empty for the first term, planned before any measurement)
     */
    public record Term(long term, long start, double atSeconds, List<Stage> stages, double predictedSamplesPerSecond,
                       Map<String, Capacity> capacities, String reason) {
        /** The devices of the stages, in stage order. */
        public List<String> devices() {
            return stages.stream().map(Stage::device).toList();
        }

        /** Each stage's device and units, e.g. {@code d0 [0,2), d1 [2,3)}. */
        public String describeStages() {
            return String.join(", ", stages.stream().map(s -> s.device() + " [" + s.from() + "," + s.to() + ")")
                    .toList());
        }
    }

    /**
     * A recovery: the term it started, when the failure was detected and when the first micro-batch
     * finished after it (NaN if none did), the devices lost and why, the micro-batch training resumed
     * from and how many were fed again, the most micro-batches of updates any unit never gets (its
     * replica was that old and they were not replayed), where each unit's state came from, how many
     * finished micro-batches were replayed before {@code resumedFrom} only to give restored units
     * the updates they lost ({@code caughtUp}), and the most micro-batches whose update a unit
     * applies a second time.
     */
    public record Recovery(long term, double detectedAtSeconds, double resumedAtSeconds, List<String> failed,
                           String reason, long resumedFrom, long replayed, long iterationsLost,
                           Map<Integer, String> sources, long caughtUp, long updatesAppliedTwice) {
        public Recovery(long term, double detectedAtSeconds, double resumedAtSeconds, List<String> failed,
                        String reason, long resumedFrom, long replayed, long iterationsLost,
                        Map<Integer, String> sources) {
            this(term, detectedAtSeconds, resumedAtSeconds, failed, reason, resumedFrom, replayed, iterationsLost,
                    sources, 0, 0);
        }

        Recovery resumed(double atSeconds) {
            return new Recovery(term, detectedAtSeconds, atSeconds, failed, reason, resumedFrom, replayed,
                    iterationsLost, sources, caughtUp, updatesAppliedTwice);
        }
    }

    /**
     * A device as measured: {@code slowdown} against the reference profile, and its link rate:
     * bytes per millisecond of its outgoing boundary's timed round trips (NaN before one was
     * timed). The name is older than the measurement.
     */
    public record Capacity(double slowdown, double uploadBytesPerMilli) {
    }

    /** @param samples training samples whose forward and backward finished in this epoch */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                        double trainSeconds, long samples) {
    }
}
