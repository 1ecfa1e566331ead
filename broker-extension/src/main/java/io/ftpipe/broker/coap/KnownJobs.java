package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobWatcher;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The jobs the management API shows: every job the central node runs, whoever submitted it (the
 * node tells us through {@link JobWatcher}), with its last status as JSON; and, once ended, how it
 * ended. The central node forgets a job when it ends, so this table keeps the last
 * {@value #MAX_ENDED} ended jobs (running ones are never dropped). Thread-safe; the listener (the
 * resource tree) is called outside the table's lock.
 */
final class KnownJobs implements JobWatcher {
    /** Ended jobs kept for clients to look at; bounds the memory a long-lived broker spends on history. */
    static final int MAX_ENDED = 100;

    enum State {
        /** Waiting for devices other jobs hold, or behind other jobs that wait ({@code queue_position}). */
        QUEUED, RUNNING, COMPLETE, FAILED, STOPPED;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Not ended: it may still change, and is never dropped from the table. */
        boolean live() {
            return this == QUEUED || this == RUNNING;
        }

        /** A live job's state, as its status says. */
        static State of(ObjectNode status) {
            return JobWatcher.QUEUED.equals(status.path("state").asText()) ? QUEUED : RUNNING;
        }
    }

    /**
     * One job. {@code status} is the job's last published status as JSON and is never modified once
     * stored; {@code error} is set for a failed or stopped job, {@code result} for a complete one.
     */
    record Job(String id, State state, ObjectNode status, String error, ObjectNode result) {
        /** The job's new status; a live job's state follows it (queued, then running). */
        Job withStatus(ObjectNode s) {
            return new Job(id, state.live() ? State.of(s) : state, s, error, result);
        }
    }

    /** The resource tree: a job appeared, changed, or was dropped from the table. */
    interface Listener {
        void added(String job);

        void changed(String job);

        void removed(String job);
    }

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Set<String> stopping = new HashSet<>();
    private volatile Listener listener = new Listener() {
        @Override
        public void added(String job) {
        }

        @Override
        public void changed(String job) {
        }

        @Override
        public void removed(String job) {
        }
    };

    void listen(Listener l) {
        this.listener = l;
    }

    /**
     * A job the API just submitted: known before its first status (which the job's thread publishes
     * a moment later), so a client can observe it at once.
     */
    void submitted(String job, ObjectNode status) {
        boolean added;
        synchronized (this) {
            added = jobs.putIfAbsent(job, new Job(job, State.RUNNING, status, null, null)) == null;
        }
        if (added) {
            listener.added(job);
        }
    }

    /**
     * A stop is being asked for: the error the job then ends with means "stopped", not "failed".
     * The node calls {@link #ended} for every job it ran, so the mark never outlives the job.
     *
     * @return false if the job is not running (then nothing is marked)
     */
    synchronized boolean stopping(String job) {
        Job j = jobs.get(job);
        if (j == null || !j.state().live()) {
            return false;
        }
        stopping.add(job);
        return true;
    }

    @Override
    public void statusChanged(String job, Map<String, Object> status) {
        // Converted here, on the job's thread, once: readers then share an immutable snapshot.
        ObjectNode json = ManagementJson.tree(status);
        boolean added;
        synchronized (this) {
            Job old = jobs.get(job);
            added = old == null;
            jobs.put(job, added ? new Job(job, State.of(json), json, null, null) : old.withStatus(json));
        }
        if (added) {
            listener.added(job);
        }
        listener.changed(job);
    }

    @Override
    public void ended(String job, JobReport report, Throwable error) {
        List<String> dropped;
        synchronized (this) {
            State state = error == null ? State.COMPLETE : stopping.remove(job) ? State.STOPPED : State.FAILED;
            stopping.remove(job);
            Job old = jobs.remove(job);
            ObjectNode status = old == null ? ManagementJson.emptyStatus(job) : old.status();
            // Re-inserted, so the table's order is the order jobs ended in, and the oldest go first.
            jobs.put(job, new Job(job, state, status, error == null ? null : message(error),
                    report == null ? null : ManagementJson.result(report)));
            dropped = dropOldEnded();
        }
        listener.changed(job);
        dropped.forEach(listener::removed);
    }

    private List<String> dropOldEnded() {
        List<String> ended = jobs.values().stream().filter(j -> !j.state().live()).map(Job::id).toList();
        List<String> dropped = new ArrayList<>(ended.subList(0, Math.max(0, ended.size() - MAX_ENDED)));
        dropped.forEach(jobs::remove);
        return dropped;
    }

    private static String message(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.toString();
    }

    synchronized Optional<Job> get(String job) {
        return Optional.ofNullable(jobs.get(job));
    }

    synchronized boolean knows(String job) {
        return jobs.containsKey(job);
    }

    /** Every job in the table, ordered by id. */
    synchronized List<Job> all() {
        return jobs.values().stream().sorted(java.util.Comparator.comparing(Job::id)).toList();
    }

    /** What a running job measured of a device, as in its status's {@code capacities}. */
    synchronized Optional<JsonNode> capacity(String job, String device) {
        Job j = jobs.get(job);
        if (j == null || j.state() != State.RUNNING) {
            return Optional.empty();
        }
        JsonNode c = j.status().path("capacities").get(device);
        return Optional.ofNullable(c);
    }
}
