package io.ftpipe.cli.bench;

/**
 * Compute cost of one model on this machine, whole model as one stage, times in milliseconds per
 * batch. {@code forward} is the evaluation graph with weights as inputs (what a pipeline stage
 * runs); {@code exported forward} is the inference model with weights as initializers (what a
 * deployed model runs); {@code ratio} is train step / forward, what the planner's cost model needs.
 */
public record ComputeResult(String model, int units, long params, int batchSize,
                            double forwardMs, double forwardP90Ms,
                            double trainStepMs, double trainStepP90Ms,
                            double optimizerMs, double optimizerP90Ms,
                            double exportedForwardMs, double exportedForwardP90Ms,
                            double ratio, double trainSamplesPerSecond, double inferenceSamplesPerSecond,
                            double exportedInferenceSamplesPerSecond) {

    public static ComputeResult of(String model, int units, long params, int batchSize, Timings forward,
                                   Timings trainStep, Timings optimizer, Timings exportedForward) {
        return new ComputeResult(model, units, params, batchSize,
                forward.medianMs(), forward.p90Ms(),
                trainStep.medianMs(), trainStep.p90Ms(),
                optimizer.medianMs(), optimizer.p90Ms(),
                exportedForward.medianMs(), exportedForward.p90Ms(),
                trainStep.medianMs() / forward.medianMs(),
                perSecond(batchSize, trainStep), perSecond(batchSize, forward), perSecond(batchSize, exportedForward));
    }

    private static double perSecond(int batchSize, Timings t) {
        return batchSize / (t.medianMs() / 1e3);
    }
}
