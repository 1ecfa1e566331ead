package io.ftpipe.broker.central;

/**
 * Where a job's micro-batch is in its data: micro-batches are numbered through the whole job,
 * each epoch splits the training set into batches of {@code batchSize} samples (the last one
 * short) and each batch into micro-batches of {@code micro} samples (the last one short). Pure.
 */
final class MicroBatchIndex {
    /**
     * @param epoch     the epoch (its shuffle)
     * @param from      the micro-batch's first sample in the epoch's order
     * @param count     its samples
     * @param stepStart whether it is the first micro-batch of its batch (an optimizer step under GPipe)
     */
    record Location(int epoch, int from, int count, boolean stepStart) {
    }

    private MicroBatchIndex() {
    }

    /** @throws IllegalArgumentException if a size is not positive or the iteration is negative */
    static Location locate(long iteration, int samples, int batchSize, int micro) {
        if (samples < 1 || batchSize < 1 || micro < 1 || iteration < 0) {
            throw new IllegalArgumentException("cannot locate micro-batch " + iteration + " in " + samples
                    + " samples, batches of " + batchSize + ", micro-batches of " + micro);
        }
        long perEpoch = Feeder.microBatchesPerEpoch(samples, batchSize, micro);
        int epoch = Math.toIntExact(iteration / perEpoch);
        long k = iteration % perEpoch;
        for (int batch = 0; ; batch += batchSize) {
            int end = Math.min(samples, batch + batchSize);
            long inBatch = (end - batch + micro - 1) / micro;
            if (k < inBatch) {
                int from = batch + Math.toIntExact(k) * micro;
                return new Location(epoch, from, Math.min(micro, end - from), k == 0);
            }
            k -= inBatch;
        }
    }
}
