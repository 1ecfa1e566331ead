package io.ftpipe.broker.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.status.DeviceEvent;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.RejectReason;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The central node's metrics, named {@code ftpipe.*}, in a Dropwizard registry: inside HiveMQ its
 * own ({@code Services.metricRegistry()}), so that whatever exports HiveMQ's metrics (its
 * Prometheus extension, JMX) exports these too. This class owns the handles; the central node
 * calls it where things happen. The names are listed in docs/management.md.
 */
public final class FtpipeMetrics implements AutoCloseable {
    public static final String PREFIX = "ftpipe.";
    /** Meter: samples whose forward and backward finished (replays after a recovery included). */
    public static final String SAMPLES = PREFIX + "samples";
    /** Counter: terms started because measured capacities called for a better plan. */
    public static final String REPARTITIONS = PREFIX + "repartitions";
    /** Counter: recoveries from failed devices or a stalled pipeline. */
    public static final String RECOVERIES = PREFIX + "recoveries";
    /** Counter: devices a job lost (each recovery's failed devices). */
    public static final String DEVICES_FAILED = PREFIX + "devices.failed";
    /** Counter: bytes of weight replicas the devices sent (chain and global). */
    public static final String REPLICATION_BYTES = PREFIX + "replication.bytes";
    /** Gauges: devices alive (connected, heard from within the heartbeat timeout) and ever joined. */
    public static final String DEVICES_ALIVE = PREFIX + "devices.alive";
    public static final String DEVICES_KNOWN = PREFIX + "devices.known";

    private final MetricRegistry registry;
    private final Meter samples;
    private final Counter repartitions;
    private final Counter recoveries;
    private final Counter devicesFailed;
    private final Counter replicationBytes;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<DeviceEvent.Kind, Counter> deviceEvents = new EnumMap<>(DeviceEvent.Kind.class);
    /** Each device's last measured interval, read by its gauges on the exporter's thread. */
    private final Map<String, DeviceTimes> latest = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    // Guarded by this: the bookkeeping of heartbeats.
    private final StageTimes stageTimes = new StageTimes();
    private final ReplicatedBytes replicated = new ReplicatedBytes();

    /** What a device's gauges show: its stage (-1 when idle) and the last interval's milliseconds. */
    private record DeviceTimes(int stage, double computeMillis, double sendMillis, double waitMillis) {
        static DeviceTimes unmeasured(int stage) {
            return new DeviceTimes(stage, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** @param registry HiveMQ's inside a broker; any (a {@code new MetricRegistry()}) elsewhere */
    public FtpipeMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.samples = registry.meter(SAMPLES);
        this.repartitions = registry.counter(REPARTITIONS);
        this.recoveries = registry.counter(RECOVERIES);
        this.devicesFailed = registry.counter(DEVICES_FAILED);
        this.replicationBytes = registry.counter(REPLICATION_BYTES);
        // Every reason from the start, at 0: a dashboard can show a rate before the first rejection.
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, registry.counter(rejectedName(r)));
        }
        for (DeviceEvent.Kind k : DeviceEvent.Kind.values()) {
            deviceEvents.put(k, registry.counter(deviceEventsName(k)));
        }
    }

    /** Counter: messages the central node rejected for {@code reason}, e.g. {@code ftpipe.rejected.stale_term}. */
    public static String rejectedName(RejectReason reason) {
        return PREFIX + "rejected." + reason.name().toLowerCase(Locale.ROOT);
    }

    /** Counter: device events of a kind: {@code ftpipe.devices.births}, {@code .deaths}, {@code .restarts}. */
    public static String deviceEventsName(DeviceEvent.Kind kind) {
        return PREFIX + "devices." + switch (kind) {
            case BIRTH -> "births";
            case DEATH -> "deaths";
            case RESTART -> "restarts";
        };
    }

    /**
     * Gauge of one device: {@code stage} (its stage, -1 when idle), {@code compute.ms},
     * {@code send.ms}, {@code wait.ms} (per micro-batch, between its last two heartbeats).
     */
    public static String deviceName(String device, String what) {
        return PREFIX + "device." + device + "." + what;
    }

    /** Registers the gauges of how many devices are alive and known. */
    public void countDevices(IntSupplier alive, IntSupplier known) {
        replaceGauge(DEVICES_ALIVE, alive::getAsInt);
        replaceGauge(DEVICES_KNOWN, known::getAsInt);
    }

    /** A heartbeat of a device that joined: its stage times and replicated bytes. */
    public synchronized void heartbeat(Message.Heartbeat h) {
        if (Message.Heartbeat.OFFLINE.equals(h.activity().state())) {
            // The Last Will carries zeros, not the device's counts.
            return;
        }
        replicationBytes.inc(replicated.since(h));
        String d = h.device();
        Message.Heartbeat.Activity on = h.activity();
        int stage = on.job() != null && !on.job().isEmpty() && on.stage() >= 0 ? on.stage() : -1;
        DeviceTimes before = latest.get(d);
        // Until a stage has an interval measured, it shows none (or, on the same stage, the last one).
        DeviceTimes now = stageTimes.heartbeat(h)
                .map(i -> new DeviceTimes(i.stage(), i.computeMillis(), i.sendMillis(), i.waitMillis()))
                .orElse(before != null && before.stage() == stage ? before : DeviceTimes.unmeasured(stage));
        latest.put(d, now);
        if (gauged.add(d)) {
            replaceGauge(deviceName(d, "stage"), () -> latest.get(d).stage());
            replaceGauge(deviceName(d, "compute.ms"), () -> latest.get(d).computeMillis());
            replaceGauge(deviceName(d, "send.ms"), () -> latest.get(d).sendMillis());
            replaceGauge(deviceName(d, "wait.ms"), () -> latest.get(d).waitMillis());
        }
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).inc();
    }

    public void deviceEvent(DeviceEvent event) {
        deviceEvents.get(event.kind()).inc();
    }

    /**
     * The listener that counts one job's samples, re-plans and recoveries.
     *
     * @param doneBefore micro-batches the job had finished when it started here (a resumed job's)
     */
    public JobListener job(int microBatchSize, long doneBefore) {
        return new JobMetrics(samples, repartitions, recoveries, devicesFailed, microBatchSize, doneBefore);
    }

    /**
     * A gauge registered by a central node that is gone (an extension restarted in the same broker)
     * would read the old node: the newest registration wins.
     */
    private <T> void replaceGauge(String name, Gauge<T> gauge) {
        registry.remove(name);
        registry.register(name, gauge);
    }

    /** Takes this node's metrics out of the registry: they would read a node that no longer runs. */
    @Override
    public void close() {
        registry.removeMatching(MetricFilter.startsWith(PREFIX));
    }

    /**
     * Every {@code ftpipe.*} metric as plain numbers, for reports: counters and gauges by name (gauges
     * without a value, NaN, left out), meters as their count plus {@code .mean_rate} and
     * {@code .m1_rate} per second.
     */
    public static Map<String, Number> snapshot(MetricRegistry registry) {
        Map<String, Number> out = new TreeMap<>();
        MetricFilter ours = MetricFilter.startsWith(PREFIX);
        registry.getCounters(ours).forEach((name, c) -> out.put(name, c.getCount()));
        registry.getMeters(ours).forEach((name, m) -> {
            out.put(name, m.getCount());
            out.put(name + ".mean_rate", m.getMeanRate());
            out.put(name + ".m1_rate", m.getOneMinuteRate());
        });
        registry.getGauges(ours).forEach((name, g) -> {
            if (g.getValue() instanceof Number n && Double.isFinite(n.doubleValue())) {
                out.put(name, n);
            }
        });
        return out;
    }
}
