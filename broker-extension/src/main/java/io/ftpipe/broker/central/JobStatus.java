package io.ftpipe.broker.central;

import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.json.PublishedJson;
import io.ftpipe.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What a job tells the world: its events, each logged, told to its listener and kept for the
 * report, and its status as retained JSON on {@code ftpipe/v1/jobs/{job}/status} (at every event,
 * and while training at most every {@link #STATUS_MILLIS}), so any MQTT dashboard sees it without
 * asking.
 */
final class JobStatus {
    private static final Logger LOG = LoggerFactory.getLogger(JobStatus.class);
    /** Besides at every event, the retained status is refreshed this often while training. */
    static final long STATUS_MILLIS = 1_000;

    private final JobState state;
    private final CentralPublisher publisher;
    private final JobListener listener;
    /**
     * The job's place in the queue while other jobs hold the devices it waits for, or jobs ahead of
     * it wait; 0 while it runs, or waits only for devices to join.
     */
    private volatile int queuePosition;
    /** Added to by the job's thread and the checkpoint writer's. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private String lastEvent = "";
    private long lastStatusMillis;
    /** Told of each status published (the management API, through the central node). */
    private volatile Consumer<Map<String, Object>> statusChanged = status -> {
    };

    JobStatus(JobState state, CentralPublisher publisher, JobListener listener, List<String> earlierEvents) {
        this.state = state;
        this.publisher = publisher;
        this.listener = listener;
        this.events.addAll(earlierEvents);
    }

    void onStatusChanged(Consumer<Map<String, Object>> listener) {
        statusChanged = listener;
    }

    /** The job's events so far, each with the second it happened at. */
    List<String> events() {
        return List.copyOf(events);
    }

    /** From the next status on, the job waits at {@code position} in the queue (0: it does not). */
    void queuedAt(int position) {
        queuePosition = position;
    }

    void event(String what) {
        String line = String.format("%.1fs %s", state.seconds(), what);
        events.add(line);
        LOG.info(line);
        listener.event(what);
        lastEvent = what;
        publish();
    }

    /** Progress while training: the listener at every step, the status topic now and then. */
    void progressed() {
        Optional<String> filled;
        synchronized (state) {
            listener.microBatchDone(state.progress.done(), state.progress.loss());
            filled = state.fill.untold();
        }
        filled.ifPresent(this::event);
        if (state.clock.getAsLong() - lastStatusMillis >= STATUS_MILLIS) {
            publish();
        }
    }

    private void publish() {
        lastStatusMillis = state.clock.getAsLong();
        JobSpec spec = state.spec;
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("job", spec.id());
        status.put("model", spec.model());
        status.put("schedule", spec.schedule());
        status.put("planner", spec.planner());
        int position = queuePosition;
        // A job waiting for devices says where it stands, so that whoever submitted it sees why nothing runs.
        status.put("state", position > 0 ? JobWatcher.QUEUED : JobWatcher.RUNNING);
        status.put("queue_position", position > 0 ? position : null);
        status.put("devices_wanted", spec.devices());
        status.put("devices", state.devices);
        synchronized (state) {
            JobReport.Term layout = state.layout;
            status.put("term", state.term);
            status.put("stages", layout == null ? List.of() : layout.stages());
            status.put("predicted_samples_per_second", layout == null ? null : layout.predictedSamplesPerSecond());
            status.put("capacities", state.capacities.snapshot());
            status.put("micro_batches_done", state.progress.done());
            // A copy: the map is read outside the lock (serialised below, kept by listeners), while
            // progress from the devices updates the list.
            status.put("recoveries", List.copyOf(state.recoveries));
        }
        status.put("last_event", lastEvent);
        status.put("seconds", state.seconds());
        statusChanged.accept(Collections.unmodifiableMap(status));
        publisher.publish(Topics.job(spec.id(), Topics.STATUS), PublishedJson.bytes(status), 1, true);
    }
}
