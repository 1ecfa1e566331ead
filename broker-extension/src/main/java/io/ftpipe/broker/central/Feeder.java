package io.ftpipe.broker.central;

import io.ftpipe.protocol.Tensor;
import io.ftpipe.protocol.WireDtype;
import io.ftpipe.zoo.data.BatchOrder;
import io.ftpipe.zoo.data.Dataset;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The training data going into the pipeline: each micro-batch's samples from the epoch's shuffled
 * order, and a record of what was fed and is not known finished, so that a recovery can feed it
 * again. Used by the job's thread only.
 */
final class Feeder {
    /** Where a micro-batch's images go (stage 0) and its labels (the last stage). */
    interface Sink {
        void send(long iteration, Tensor images, Tensor labels);
    }

    /** A micro-batch fed: where its samples are in this epoch's order, and when. */
    private record Fed(int from, int count, long atMillis) {
    }

    private final Supplier<Dataset> data;
    private final long seed;
    private final WireDtype wire;
    private final Sink sink;
    private final LongSupplier clock;
    private final TreeMap<Long, Fed> fed = new TreeMap<>();
    private int[] order;
    private int epoch;
    /** An earlier epoch's order, for replays that reach back into it. */
    private int[] pastOrder;
    private int pastEpoch = -1;

    /**
     * @param data asked for when first needed (it may still be loading when the feeder is made)
     * @param wire how the inputs travel to the first stage, as activations between stages do
     */
    Feeder(Supplier<Dataset> data, long seed, WireDtype wire, Sink sink, LongSupplier clock) {
        this.data = data;
        this.seed = seed;
        this.wire = wire;
        this.sink = sink;
        this.clock = clock;
    }

    /** A new epoch: a new shuffle. Nothing of the last epoch is in flight any more. */
    void newEpoch(int epoch) {
        order = BatchOrder.permutation(data.get().size(), seed, epoch);
        this.epoch = epoch;
        fed.clear();
    }

    /**
     * Sends again a micro-batch that finished already, for units that lost its update: samples
     * {@code from .. from + count} of {@code epoch}'s order. It is not recorded as fed (nor
     * replayed by {@link #replayFrom}): the job waits for it apart.
     */
    void feedFinished(long iteration, int epoch, int from, int count) {
        send(iteration, orderOf(epoch), from, count);
    }

    private int[] orderOf(int e) {
        if (order != null && e == epoch) {
            return order;
        }
        if (e != pastEpoch) {
            pastOrder = BatchOrder.permutation(data.get().size(), seed, e);
            pastEpoch = e;
        }
        return pastOrder;
    }

    /** Sends micro-batch {@code iteration}: samples {@code from .. from + count} of this epoch's order. */
    void feed(long iteration, int from, int count) {
        fed.put(iteration, new Fed(from, count, clock.getAsLong()));
        send(iteration, order, from, count);
    }

    private void send(long iteration, int[] order, int from, int count) {
        Dataset d = data.get();
        float[] features = new float[count * d.sampleSize()];
        long[] labels = new long[count];
        d.copyBatch(order, from, count, features, labels);
        sink.send(iteration, wire.encode(batched(count, d.sampleShape()), FloatBuffer.wrap(features)),
                Tensor.ofLongs(new long[]{count}, labels, count));
    }

    private static long[] batched(int count, long[] sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = count;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    /** Micro-batches below {@code iteration} will never be fed again. */
    void forgetBefore(long iteration) {
        fed.headMap(iteration).clear();
    }

    /** Feeds again, in order, every micro-batch fed from {@code iteration} on. */
    void replayFrom(long iteration) {
        for (Map.Entry<Long, Fed> e : new TreeMap<>(fed.tailMap(iteration, true)).entrySet()) {
            feed(e.getKey(), e.getValue().from(), e.getValue().count());
        }
    }

    /** How long ago the first micro-batch at or after {@code iteration} was fed, if any was. */
    OptionalLong ageMillis(long iteration) {
        Map.Entry<Long, Fed> e = fed.ceilingEntry(iteration);
        return e == null ? OptionalLong.empty() : OptionalLong.of(clock.getAsLong() - e.getValue().atMillis());
    }

    /** Micro-batches in an epoch: each batch in micro-batches of {@code micro} samples, the last one short. */
    static long microBatchesPerEpoch(int samples, int batchSize, int micro) {
        long n = 0;
        for (int from = 0; from < samples; from += batchSize) {
            n += (Math.min(batchSize, samples - from) + micro - 1) / micro;
        }
        return n;
    }
}
