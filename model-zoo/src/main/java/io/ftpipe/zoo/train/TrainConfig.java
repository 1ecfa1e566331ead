package io.ftpipe.zoo.train;

import io.ftpipe.zoo.optim.OptimizerConfig;

/**
 * Settings of one training run.
 *
 * @param stages  how many stages the model is split into (evenly by compute)
 * @param threads ONNX Runtime intra-op threads per stage session
 */
public record TrainConfig(int epochs, int batchSize, int stages, OptimizerConfig optimizer, long seed, int threads) {

    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || stages < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs, batch size, stages and threads must be at least 1");
        }
    }
}
