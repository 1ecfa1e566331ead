package io.ftpipe.broker.central;

import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.optim.OptimizerConfig;

/**
 * A training job as submitted.
 *
 * @param batchSize    samples per optimizer step
 * @param microBatches GPipe: micro-batches per step; 1F1B sends each batch as one micro-batch
 * @param synthetic    0 for Fashion-MNIST, else the size of a generated data set
 * @param trainLimit   0 for the whole training set, else its first samples
 */
public record JobSpec(String id, String model, int devices, String schedule, int batchSize, int microBatches,
                      int epochs, OptimizerConfig optimizer, long seed, int synthetic, int trainLimit) {

    public JobSpec {
        Topics.checkLevel(id);
        if (devices < 1 || batchSize < 1 || microBatches < 1 || epochs < 1 || batchSize % microBatches != 0) {
            throw new IllegalArgumentException("devices, batch size, micro-batches and epochs must be >= 1, and the "
                    + "batch size a multiple of the micro-batches");
        }
    }

    public int microBatchSize() {
        return batchSize / microBatches;
    }
}
