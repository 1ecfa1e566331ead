package io.ftpipe.broker.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.CentralPublisher;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Publishes the central node's view for dashboards and fleet tools (docs/protocol.md): the retained
 * devices view, device birth, death and restart events, and each job's retained plan at every term
 * start. Everything happens on one thread of its own, so retained views go out in the order they
 * were taken, and no caller (HiveMQ's threads, the inbox, a job) waits on the broker. Callers pass
 * presence signals as they come; this class decides what is an event.
 */
public final class StatusTopics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusTopics.class);
    /**
     * Heartbeats change the devices view all the time (last seen, compute time); for them it is
     * published at most this often. Presence changes are published at once.
     */
    static final long REFRESH_MILLIS = 1_000;

    private final CentralPublisher publisher;
    private final DeviceRegistry registry;
    private final long heartbeatTimeoutMillis;
    private final LongSupplier clock;
    private final Consumer<DeviceEvent> told;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ftpipe-status");
        t.setDaemon(true);
        return t;
    });
    // The status thread's own.
    private final DeviceLives lives = new DeviceLives();
    private boolean heartbeatsSincePublished;

    private StatusTopics(CentralPublisher publisher, DeviceRegistry registry, long heartbeatTimeoutMillis,
                         LongSupplier clock, Consumer<DeviceEvent> told) {
        this.publisher = publisher;
        this.registry = registry;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
        this.clock = clock;
        this.told = told;
    }

    /**
     * Starts publishing: the devices view at once (a retained view left by an earlier central node
     * would show devices that are gone), then every {@link #REFRESH_MILLIS} if heartbeats changed it.
     *
     * @param heartbeatTimeoutMillis a connected device not heard from this long is dead (the
     *                               central node's own rule)
     * @param told                   also told of every event (metrics); must be quick and not throw
     */
    public static StatusTopics start(CentralPublisher publisher, DeviceRegistry registry, long heartbeatTimeoutMillis,
                                     LongSupplier clock, Consumer<DeviceEvent> told) {
        StatusTopics s = new StatusTopics(publisher, registry, heartbeatTimeoutMillis, clock, told);
        s.submit("start", s::publishDevices);
        s.thread.scheduleWithFixedDelay(() -> guard("refresh", s::refresh), REFRESH_MILLIS, REFRESH_MILLIS,
                TimeUnit.MILLISECONDS);
        return s;
    }

    /** The device said hello (after the registry took it in). */
    public void hello(String device) {
        long now = clock.getAsLong();
        submit("hello", () -> {
            announce(lives.hello(device, now));
            publishDevices();
        });
    }

    /**
     * The device's connection ended or its Last Will arrived (after the registry took it in).
     *
     * @param reason what gave it away ("connection lost", "last will", ...)
     */
    public void gone(String device, String reason) {
        long now = clock.getAsLong();
        submit("gone", () -> {
            lives.gone(device, reason, now).ifPresent(this::announce);
            publishDevices();
        });
    }

    /** A heartbeat from the device: it may be back from silence; the view changed either way. */
    public void heard(String device) {
        long now = clock.getAsLong();
        submit("heartbeat", () -> {
            heartbeatsSincePublished = true;
            lives.heard(device, now).ifPresent(e -> {
                announce(e);
                publishDevices();
            });
        });
    }

    /** Something changed that is no event (a client connected): the view only. */
    public void changed() {
        submit("presence", this::publishDevices);
    }

    /** Publishes the job's plan, retained, at every term start. */
    public JobListener plansOf(String job) {
        return new JobListener() {
            @Override
            public void termStarted(JobReport.Term term) {
                long now = clock.getAsLong();
                submit("plan", () -> publish(Topics.job(job, Topics.PLAN), StatusJson.plan(job, term, now), true));
            }
        };
    }

    /** Deaths by silence, and the view if heartbeats (or those deaths) changed it. */
    private void refresh() {
        List<DeviceEvent> deaths = lives.silent(registry.all(), clock.getAsLong(), heartbeatTimeoutMillis);
        deaths.forEach(this::announce);
        if (heartbeatsSincePublished || !deaths.isEmpty()) {
            publishDevices();
        }
    }

    private void publishDevices() {
        heartbeatsSincePublished = false;
        publish(Topics.DEVICES_STATUS, StatusJson.devices(registry.all(), registry.alive(heartbeatTimeoutMillis),
                clock.getAsLong()), true);
    }

    private void announce(DeviceEvent e) {
        LOG.info("device {}: {} ({})", e.device(), e.kind().json(), e.reason());
        publish(Topics.DEVICE_EVENTS, StatusJson.event(e), false);
        guard("event listener", () -> told.accept(e));
    }

    private void publish(String topic, JsonNode json, boolean retain) {
        publisher.publish(topic, StatusJson.bytes(json), 1, retain).exceptionally(e -> {
            LOG.warn("could not publish " + topic + ": " + e);
            return null;
        });
    }

    private void submit(String what, Runnable task) {
        try {
            thread.execute(() -> guard(what, task));
        } catch (RejectedExecutionException e) {
            // Closing: nobody is left to read the view.
        }
    }

    /** Status is for watching; a failure here must never reach the caller or stop the refresh. */
    private static void guard(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("status " + what + " failed: " + e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
