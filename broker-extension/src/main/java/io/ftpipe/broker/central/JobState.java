package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one job knows, under one lock: what its devices told it (acknowledgements, weights,
 * progress, measured speeds, errors) and the term and layout their messages are checked against.
 * Device events arrive on other threads ({@link #onMessage}, {@link #onHeartbeat}, {@link #wake},
 * {@link #stop}); the job's thread reads and changes the rest while holding the lock, and waits
 * on it for what the devices will tell it.
 */
final class JobState {
    final JobSpec spec;
    final LongSupplier clock;
    /** Wall clock: a restarted central node goes on with the same job's times. */
    final long startedMillis;

    // Guarded by this object's monitor.
    final Map<Integer, String> acks = new HashMap<>();
    /** Devices that have the sessions of the coming term's stage ready (a re-plan under way). */
    final java.util.Set<String> prepared = new java.util.HashSet<>();
    final Map<String, Message.Weights> weights = new HashMap<>();
    long collectRequest;
    final CapacityTracker capacities = new CapacityTracker();
    ProgressLedger progress = new ProgressLedger();
    /** Why the job must end (stopped, or a device's error), or null. */
    String failure;
    long term;
    /**
     * This process started the current term. A restarted central node takes no progress of its
     * predecessor's term: a micro-batch finishing then may have had its loss reported before the
     * restart, and the ledger would count it finished but never lost, waiting for it for ever.
     */
    boolean termStartedHere;
    JobReport.Term layout;
    long termStartMillis;
    /** When a micro-batch last finished (a replayed one too): the pipeline's last sign of progress. */
    long lastDoneMillis;
    final TermFill fill = new TermFill();
    final LayoutHistory layouts = new LayoutHistory();
    /** The devices whose failure breaks what the job waits for now. */
    List<String> watched = List.of();
    /** Micro-batches are in flight, so one stuck for long means the pipeline is broken. */
    boolean feeding;
    /**
     * This term's micro-batches below this one are replayed only for units that lost their
     * updates: finished already, their progress is not counted again.
     */
    long catchUpEnd;
    /** Replayed micro-batches below {@link #catchUpEnd} that finished in this term. */
    final java.util.BitSet caughtUp = new java.util.BitSet();
    long catchUpStart;
    /** What the devices replicated during this job (bytes and time), from their heartbeats. */
    final JobReplication replicated = new JobReplication();
    final List<JobReport.Recovery> recoveries = new ArrayList<>();

    // The job thread's own.
    List<String> devices = List.of();
    final List<JobReport.Term> terms = new ArrayList<>();
    final List<JobReport.Epoch> epochs = new ArrayList<>();
    /** Micro-batches fed so far in the job (the next one's number). */
    long iteration;
    /** GPipe: the first micro-batch of the step in progress, where a recovery resumes. */
    long stepStart;
    long epochStartedMillis;
    double trainSeconds;
    double migrationMillis;

    /** Told of a replica a device sent for the current term (on the caller's thread, under the lock). */
    private final java.util.function.Consumer<Message.Replica> replicaSink;
    /** The reference time of a stage's units, to turn a heartbeat into a speed; NaN until profiled. */
    private volatile java.util.function.ToDoubleBiFunction<Integer, Integer> referenceMillis = (from, to) -> Double.NaN;

    JobState(JobSpec spec, LongSupplier clock, long startedMillis, java.util.function.Consumer<Message.Replica> replicas) {
        this.spec = spec;
        this.clock = clock;
        this.startedMillis = startedMillis;
        this.replicaSink = replicas;
    }

    /** From now on heartbeats are measured against these reference times of unit ranges. */
    void measureWith(java.util.function.ToDoubleBiFunction<Integer, Integer> referenceMillis) {
        this.referenceMillis = referenceMillis;
    }

    /** Where a restarted central node found the job: the layout, the position, the history so far. */
    void resume(JobCheckpoint c) {
        devices = c.devices();
        term = c.term();
        layout = c.layout();
        progress = ProgressLedger.resumed(c.position());
        iteration = c.fed();
        stepStart = c.position().resumeAt();
        epochStartedMillis = c.epochStartedMillis();
        trainSeconds = c.trainSeconds();
        epochs.addAll(c.epochs());
        terms.addAll(c.terms());
        recoveries.addAll(c.recoveries());
        replicated.resumeFrom(c.replicatedSince());
    }

    /**
     * The epoch in progress ends with {@code result}, and the next one starts at once: a checkpoint
     * written from here on must not carry the finished epoch's samples into the next (a central
     * node restarted then would count them again).
     */
    synchronized void epochDone(JobReport.Epoch result, double seconds) {
        epochs.add(result);
        trainSeconds += seconds;
        progress.newEpoch();
        epochStartedMillis = clock.getAsLong();
    }

    /** Seconds since the job was submitted. */
    double seconds() {
        return (clock.getAsLong() - startedMillis) / 1e3;
    }

    /**
     * Ends the job from outside: the next wait of the job thread fails with "stopped: reason".
     *
     * @return the current layout, whose devices should be told to stop (null before the first term)
     */
    synchronized JobReport.Term stop(String reason) {
        failure = "stopped: " + reason;
        notifyAll();
        return layout;
    }

    /** A device's reply or a stage's progress for this job (any thread). */
    synchronized void onMessage(String device, Message m) {
        if (m instanceof Message.Ack a && a.term() == term) {
            acks.put(a.stage(), device);
        } else if (m instanceof Message.Prepared p && p.term() == term) {
            prepared.add(device);
        } else if (m instanceof Message.Weights w && w.request() == collectRequest) {
            weights.put(device, w);
        } else if (m instanceof Message.Replica r && r.term() == term) {
            replicaSink.accept(r);
        } else if (m instanceof Message.DeviceError e) {
            failure = "device " + device + ": " + e.reason();
        } else if (m instanceof Message.Progress p && p.term() == term && termStartedHere) {
            if (p.iteration() < catchUpEnd) {
                if (Message.Progress.DONE.equals(p.kind()) && p.iteration() >= catchUpStart) {
                    caughtUp.set(Math.toIntExact(p.iteration() - catchUpStart));
                }
            } else {
                progress.record(p);
            }
            if (Message.Progress.DONE.equals(p.kind())) {
                lastDoneMillis = clock.getAsLong();
                fill.done(clock.getAsLong());
                layouts.finished(clock.getAsLong());
            } else {
                fill.loss(clock.getAsLong());
            }
            int last = recoveries.size() - 1;
            // The first micro-batch finished after a recovery is when training is back.
            if (Message.Progress.DONE.equals(p.kind()) && last >= 0
                    && Double.isNaN(recoveries.get(last).resumedAtSeconds())) {
                recoveries.set(last, recoveries.get(last).resumed(seconds()));
            }
        }
        notifyAll();
    }

    /** A new term replays {@code [from, until)} only for the units behind (under the lock). */
    void catchUp(long from, long until) {
        catchUpStart = from;
        catchUpEnd = until;
        caughtUp.clear();
    }

    /** How many micro-batches the schedule lets be in flight through the current layout. */
    int feedLimit() {
        return spec.scheduling().feedLimit(layout.stages().size(), spec.microBatches());
    }

    /** Have the replayed micro-batches below {@code until} all finished? (under the lock) */
    boolean caughtUpTo(long until) {
        return caughtUp.nextClearBit(0) >= until - catchUpStart;
    }

    /** Something changed about some device (it connected, left, said hello): look again. */
    synchronized void wake() {
        notifyAll();
    }

    /** A heartbeat of a device working on this job: its measured speed (any thread). */
    synchronized void onHeartbeat(Message.Heartbeat h) {
        replicated.heartbeat(h);
        // A resumed job knows its layout before it has profiled the units: no speed to measure yet.
        if (layout == null || h.activity().term() != term) {
            return;
        }
        List<JobReport.Stage> stages = layout.stages();
        for (int i = 0; i < stages.size(); i++) {
            JobReport.Stage s = stages.get(i);
            double reference = referenceMillis.applyAsDouble(s.from(), s.to());
            if (s.device().equals(h.device()) && !Double.isNaN(reference)) {
                capacities.heartbeat(h, reference, i + 1 < stages.size() ? stages.get(i + 1).device() : null);
            }
        }
    }
}
