package io.ftpipe.broker.central;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Where a job's state goes to disk: the replicas devices send and the job's checkpoint (its
 * position, at most every {@link #CHECKPOINT_MILLIS} unless asked now), written in order on a
 * thread of their own, so that fsyncs never hold up the devices' progress.
 */
final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    /** At most this often the job's position goes to disk: what a restarted central node replays. */
    static final long CHECKPOINT_MILLIS = 200;

    private final JobDirectory files;
    private final ReplicaStore replicas;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ftpipe-replica-writer");
        t.setDaemon(true);
        return t;
    });
    private JobState state;
    private JobStatus status;
    private LongSupplier resumePoint;
    /** The thread count the planner's costs were measured with: a restarted central node reads them again. */
    private volatile int referenceThreads;
    private long lastMillis;
    private final AtomicBoolean toldNotStored = new AtomicBoolean();

    Checkpoints(JobDirectory files, ReplicaStore replicas) {
        this.files = files;
        this.replicas = replicas;
    }

    /** What the checkpoints are of; {@code resumePoint} is read under the job's lock. */
    void of(JobState job, JobStatus events, LongSupplier resumeAt) {
        this.state = job;
        this.status = events;
        this.resumePoint = resumeAt;
    }

    void profiledWith(int threads) {
        referenceThreads = threads;
    }

    /** A replica a device sent, to the store in its turn. */
    void keep(io.ftpipe.protocol.Message.Replica r) {
        writer.execute(() -> {
            var units = io.ftpipe.zoo.state.UnitStatePayloads.decode(r.units());
            if (!r.versions().isEmpty() && r.versions().size() != units.size()) {
                LOG.warn("replica of stage {} of job {} dropped: {} versions for {} units", r.stage(),
                        state.spec.id(), r.versions().size(), units.size());
                return;
            }
            for (int i = 0; i < units.size(); i++) {
                store(new ReplicaStore.Replica(units.get(i).unit(), r.version(i), r.term(), units.get(i)));
            }
        });
    }

    /**
     * A replica to the store. One the disk does not take (it is full, say) is not stored: the store
     * keeps what it had, the job's events say so once, and the job trains on; a recovery then has
     * the devices' copies and the older stored ones.
     */
    void store(ReplicaStore.Replica r) {
        try {
            replicas.put(r);
        } catch (UncheckedIOException e) {
            notStored("a replica of unit " + r.unit(), e.getCause());
        }
    }

    private void notStored(String what, IOException e) {
        LOG.warn("job {}: cannot store {}: {}", state.spec.id(), what, e.getMessage());
        if (toldNotStored.compareAndSet(false, true)) {
            status.event("the central node cannot store " + what + " (" + e.getMessage() + "); training goes on, "
                    + "recoveries rely on the copies it has and the devices'");
        }
    }

    /** Persists where the job stands, unless one was written less than {@link #CHECKPOINT_MILLIS} ago and not {@code now}. */
    void write(boolean now) {
        long at = state.clock.getAsLong();
        if (!now && at - lastMillis < CHECKPOINT_MILLIS) {
            return;
        }
        lastMillis = at;
        JobCheckpoint c;
        synchronized (state) {
            c = new JobCheckpoint(state.spec, state.startedMillis, state.devices, state.term, state.layout,
                    state.progress.position(resumePoint.getAsLong()), state.iteration, state.epochStartedMillis,
                    state.trainSeconds, List.copyOf(state.epochs), List.copyOf(state.terms),
                    List.copyOf(state.recoveries), state.replicated.firsts(), status.events(), referenceThreads);
        }
        writer.execute(() -> {
            try {
                files.checkpoint(c);
            } catch (IOException e) {
                notStored("the job's checkpoint", e);
            }
        });
    }

    /** Waits for what is queued: the last checkpoint must not land after the job's outcome. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
