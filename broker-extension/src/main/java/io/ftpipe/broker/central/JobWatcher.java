package io.ftpipe.broker.central;

import java.util.Map;

/**
 * Told about every job the central node runs, whoever submitted it: the management API's view of
 * jobs. Called on the job's own threads, so an implementation must be quick and must not throw
 * (the node logs and swallows anything that escapes, rather than let an observer break a job).
 */
public interface JobWatcher {
    /** Watches nothing. */
    JobWatcher NONE = new JobWatcher() {
    };
    /** A status's {@code state} while the job waits in the queue for its devices ({@code queue_position}). */
    String QUEUED = "queued";
    /** A status's {@code state} once the job has its devices. */
    String RUNNING = "running";

    /**
     * The job published a new status: the map that also goes, as JSON, to the retained MQTT topic
     * {@code ftpipe/v1/jobs/{job}/status}. The map is unmodifiable.
     */
    default void statusChanged(String job, Map<String, Object> status) {
    }

    /**
     * A listener for the progress of a job that starts (or resumes) now: every micro-batch, term,
     * epoch and recovery, as its submitter hears them (the dashboard's live view). Called on the
     * job's threads: be quick.
     */
    default JobListener progressOf(JobSpec spec) {
        return JobListener.NONE;
    }

    /** The job ended, with its report or (report null) the error that ended it. */
    default void ended(String job, JobReport report, Throwable error) {
    }
}
