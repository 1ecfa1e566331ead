package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;

import java.util.BitSet;
import java.util.TreeMap;

/**
 * Which micro-batches of a job finished (stage 0's {@code done}) and reported their loss (the last
 * stage's), each counted once however often it is reported, and the epoch's running loss and
 * accuracy. The record behind "every sample trained exactly once": a recovery {@link #rewind}s it
 * to the first micro-batch it replays, so a replayed one counts once. Not thread-safe; the job
 * updates it under its lock.
 */
final class ProgressLedger {
    private final BitSet finished = new BitSet();
    private final BitSet lossReported = new BitSet();
    private long done;
    private long losses;
    private long duplicates;
    private double lossSum;
    private long correct;
    private long samples;
    /** This epoch's loss reports, so a rewind can take back those it replays. */
    private final TreeMap<Integer, Message.Progress> epochLosses = new TreeMap<>();

    void record(Message.Progress p) {
        int i = Math.toIntExact(p.iteration());
        boolean isDone = Message.Progress.DONE.equals(p.kind());
        BitSet seen = isDone ? finished : lossReported;
        if (seen.get(i)) {
            duplicates++;
            return;
        }
        seen.set(i);
        if (isDone) {
            done++;
        } else {
            losses++;
            lossSum += p.loss() * p.count();
            correct += p.correct();
            samples += p.count();
            epochLosses.put(i, p);
        }
    }

    /** Forgets everything from micro-batch {@code from} on: a recovery feeds those again. */
    void rewind(long from) {
        int f = Math.toIntExact(from);
        done -= finished.get(f, Math.max(f, finished.length())).cardinality();
        finished.clear(f, Math.max(f, finished.length()));
        lossReported.clear(f, Math.max(f, lossReported.length()));
        var taken = epochLosses.tailMap(f, true);
        for (Message.Progress p : taken.values()) {
            losses--;
            lossSum -= p.loss() * p.count();
            correct -= p.correct();
            samples -= p.count();
        }
        taken.clear();
    }

    /**
     * What a restarted central node needs of the ledger to go on from micro-batch {@code resumeAt}:
     * every one before it finished, and this epoch's loss and accuracy over them.
     */
    record Position(long resumeAt, double lossSum, long correct, long samples) {
    }

    /** Everything before {@code resumeAt} (at most the first unfinished micro-batch), as finished. */
    Position position(long resumeAt) {
        if (resumeAt > firstUnfinished()) {
            throw new IllegalArgumentException("micro-batch " + firstUnfinished() + " has not finished");
        }
        double loss = lossSum;
        long c = correct;
        long n = samples;
        for (Message.Progress p : epochLosses.tailMap(Math.toIntExact(resumeAt), true).values()) {
            loss -= p.loss() * p.count();
            c -= p.correct();
            n -= p.count();
        }
        return new Position(resumeAt, loss, c, n);
    }

    /** A ledger that goes on from {@code p}, as the one that wrote it would have after a rewind to it. */
    static ProgressLedger resumed(Position p) {
        ProgressLedger l = new ProgressLedger();
        int f = Math.toIntExact(p.resumeAt());
        l.finished.set(0, f);
        l.lossReported.set(0, f);
        l.done = f;
        l.losses = f;
        l.lossSum = p.lossSum();
        l.correct = p.correct();
        l.samples = p.samples();
        return l;
    }

    /** The first micro-batch not finished yet. */
    long firstUnfinished() {
        return finished.nextClearBit(0);
    }

    /** Micro-batches finished (backward through stage 0). */
    long done() {
        return done;
    }

    /** Have all micro-batches below {@code fed} finished both forward and backward? */
    boolean drained(long fed) {
        return done == fed && losses == fed;
    }

    long duplicates() {
        return duplicates;
    }

    /** A new epoch: loss, accuracy and samples start again (the micro-batch record does not). */
    void newEpoch() {
        epochLosses.clear();
        lossSum = 0;
        correct = 0;
        samples = 0;
    }

    /** Samples whose loss was reported this epoch. */
    long samples() {
        return samples;
    }

    /** Mean training loss this epoch, NaN before any. */
    double loss() {
        return samples == 0 ? Double.NaN : lossSum / samples;
    }

    /** Training accuracy this epoch, NaN before any. */
    double accuracy() {
        return samples == 0 ? Double.NaN : (double) correct / samples;
    }
}
