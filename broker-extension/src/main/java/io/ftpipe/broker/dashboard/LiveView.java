package io.ftpipe.broker.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.JobWatcher;
import io.ftpipe.broker.json.PublishedJson;
import io.ftpipe.broker.status.StatusJson;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What the dashboard shows, kept up to date: the devices (the central node's registry), the jobs
 * (told by the node as its one {@link JobWatcher}'s member) and the events as they happen. Once a
 * second {@link #tick} samples the running jobs, notices devices that joined or failed, and makes
 * the snapshot every open page receives; pages never ask the node themselves.
 */
final class LiveView implements JobWatcher {
    static final int MAX_EVENTS = 200;
    /** Ended jobs stay visible, the oldest leaving first. */
    static final int MAX_ENDED_JOBS = 20;

    private final DeviceRegistry registry;
    private final long heartbeatTimeoutMillis;
    private final LongSupplier clock;
    private final Map<String, JobProgress> jobs = new LinkedHashMap<>();
    private final Deque<ObjectNode> events = new ArrayDeque<>();
    private Set<String> alive = Set.of();
    private byte[] snapshot;
    private long version;

    LiveView(DeviceRegistry registry, long heartbeatTimeoutMillis, LongSupplier clock) {
        this.registry = registry;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
        this.clock = clock;
        this.snapshot = render();
    }

    @Override
    public synchronized JobListener progressOf(JobSpec spec) {
        JobProgress p = new JobProgress(spec.id(), spec, this::event);
        jobs.remove(spec.id());
        jobs.put(spec.id(), p);
        event(new LiveEvent("job", spec.id(), "job " + spec.id() + " started: " + spec.model() + " on "
                + spec.devices() + " devices, " + spec.epochs() + " epoch(s), schedule " + spec.schedule()));
        return p;
    }

    @Override
    public synchronized void statusChanged(String job, Map<String, Object> status) {
        jobs.computeIfAbsent(job, id -> new JobProgress(id, null, this::event)).status(status);
    }

    @Override
    public synchronized void ended(String job, JobReport report, Throwable error) {
        JobProgress p = jobs.computeIfAbsent(job, id -> new JobProgress(id, null, this::event));
        String message = error == null ? null : String.valueOf(error.getMessage());
        String how = error == null ? "complete" : message.startsWith("stopped") ? "stopped" : "failed";
        p.ended(how, message);
        event(new LiveEvent("job", job, error == null
                ? String.format("job %s complete: test accuracy %.4f", job, report.testAccuracy())
                : "job " + job + " " + how + ": " + message));
        List<String> ended = jobs.values().stream().filter(j -> !j.running()).map(JobProgress::id).toList();
        ended.subList(0, Math.max(0, ended.size() - MAX_ENDED_JOBS)).forEach(jobs::remove);
    }

    private synchronized void event(LiveEvent e) {
        ObjectNode o = PublishedJson.MAPPER.createObjectNode();
        o.put("at", clock.getAsLong());
        o.put("kind", e.kind());
        o.put("job", e.job());
        o.put("text", e.text());
        events.addLast(o);
        while (events.size() > MAX_EVENTS) {
            events.removeFirst();
        }
    }

    /** Samples the jobs, notices device changes, renders the snapshot and wakes the streams. */
    synchronized void tick() {
        long now = clock.getAsLong();
        Set<String> aliveNow = new HashSet<>(registry.alive(heartbeatTimeoutMillis));
        DeviceChanges.between(alive, aliveNow).forEach(this::event);
        alive = aliveNow;
        jobs.values().forEach(j -> j.sample(now));
        snapshot = render();
        version++;
        notifyAll();
    }

    /** The newest snapshot as JSON bytes. */
    synchronized byte[] snapshot() {
        return snapshot;
    }

    /**
     * Waits up to {@code timeoutMillis} for a snapshot newer than {@code seen}.
     *
     * @return the version now (equal to {@code seen} if none came)
     */
    synchronized long awaitNewer(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (version <= seen) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return version;
    }

    synchronized long version() {
        return version;
    }

    synchronized boolean knows(String job) {
        return jobs.containsKey(job);
    }

    private byte[] render() {
        ObjectNode o = PublishedJson.MAPPER.createObjectNode();
        o.put("at", clock.getAsLong());
        ArrayNode devices = o.putArray("devices");
        List<String> aliveNow = registry.alive(heartbeatTimeoutMillis);
        registry.all().stream().sorted(Comparator.comparing(DeviceRegistry.Device::id))
                .forEach(d -> devices.add(StatusJson.device(d, aliveNow.contains(d.id()))));
        ArrayNode list = o.putArray("jobs");
        jobs.values().forEach(j -> list.add(j.json()));
        o.putArray("events").addAll(events);
        return PublishedJson.bytes(o);
    }
}
