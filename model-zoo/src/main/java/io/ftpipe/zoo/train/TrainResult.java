package io.ftpipe.zoo.train;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a local training run.
 *
 * @param bounds            stage boundaries (stage s holds units [bounds[s], bounds[s+1]))
 * @param samplesPerSecond  training samples per second of training time (evaluation excluded)
 * @param seconds           wall time of the whole run
 * @param weights           final parameters and buffers by name, for export
 */
public record TrainResult(String model, TrainConfig config, int[] bounds, List<EpochResult> epochs,
                          long samples, double samplesPerSecond, double seconds, Map<String, float[]> weights) {

    public EpochResult last() {
        return epochs.get(epochs.size() - 1);
    }
}
