package io.ftpipe.broker.central;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The stages each device runs, as the central node decided them. Jobs write it when a term starts
 * (before the devices are told, so that a device's subscription to its new stage is never refused)
 * and when they end; the MQTT access rules read it for every publish and subscribe.
 *
 * <p>A stage a device loses stays publishable for {@link #GRACE} ({@link #ofRecently}): messages of
 * the old term still on their way are dropped as stale by their receivers, which is harmless,
 * whereas a refused publish gets the device disconnected by HiveMQ.
 *
 * <p>Writes are rare (once per term) and reads are constant, so reads see an immutable snapshot
 * through a volatile field and never lock; writes rebuild the snapshot under a lock.
 *
 * <p>Listeners ({@link #listen}) hear of every write in the writer's thread, before the write
 * returns: an access control that lives outside the broker (Mosquitto's dynamic-security plugin,
 * driven by a client-mode central node) is then updated before the devices are told.
 */
public final class StageAssignments implements AssignedStages {
    private static final Logger LOG = LoggerFactory.getLogger(StageAssignments.class);
    /** Longer than a device takes to work off what it received before its new assignment. */
    public static final Duration GRACE = Duration.ofSeconds(30);
    private static final long FOREVER = Long.MAX_VALUE;

    /** A stage held until {@code untilNanos} (FOREVER while it is current). */
    private record Held(AssignedStage stage, long untilNanos) {
    }

    private final LongSupplier nanoClock;
    private final long graceNanos;
    /** Per job: each device's current stage, and stages lost but still in their grace period. */
    private final Map<String, Map<String, AssignedStage>> current = new HashMap<>();
    private final List<Map.Entry<String, Held>> retiring = new ArrayList<>();
    private volatile Map<String, List<Held>> byDevice = Map.of();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public StageAssignments() {
        this(System::nanoTime, GRACE);
    }

    /** With another clock and grace period (tests). */
    public StageAssignments(LongSupplier nanoClock, Duration grace) {
        this.nanoClock = nanoClock;
        this.graceNanos = grace.toNanos();
    }

    /** The job's layout from now on; its previous one retires (devices left out keep a grace period). */
    public synchronized void place(String job, JobReport.Term layout) {
        Map<String, AssignedStage> seats = new HashMap<>();
        int stages = layout.stages().size();
        for (JobReport.Stage s : layout.stages()) {
            seats.put(s.device(), new AssignedStage(job, s.stage(), stages));
        }
        retire(current.put(job, seats));
        rebuild();
        changed();
    }

    /** The job ended: its devices keep no stage of it, after the grace period. */
    public synchronized void forget(String job) {
        Map<String, AssignedStage> seats = current.remove(job);
        if (seats != null) {
            retire(seats);
            rebuild();
            changed();
        }
    }

    /**
     * Runs {@code listener} after every {@link #place} and {@link #forget}, in their thread and
     * under their lock (so listeners see the writes in order); it reads the new assignments through
     * {@link #of} and {@link #ofRecently}. A listener that throws does not undo the write.
     */
    public void listen(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.error("a listener of the stage assignments failed", e);
            }
        }
    }

    @Override
    public List<AssignedStage> of(String device) {
        return select(device, FOREVER);
    }

    @Override
    public List<AssignedStage> ofRecently(String device) {
        return select(device, nanoClock.getAsLong());
    }

    /** The stages held until {@code notBefore} or later. */
    private List<AssignedStage> select(String device, long notBefore) {
        List<Held> held = byDevice.getOrDefault(device, List.of());
        List<AssignedStage> out = new ArrayList<>(held.size());
        for (Held h : held) {
            // Compared as a difference: nanoTime may wrap.
            if (h.untilNanos() == FOREVER || (notBefore != FOREVER && h.untilNanos() - notBefore > 0)) {
                out.add(h.stage());
            }
        }
        return out;
    }

    private void retire(Map<String, AssignedStage> seats) {
        if (seats == null) {
            return;
        }
        long until = nanoClock.getAsLong() + graceNanos;
        seats.forEach((device, stage) -> retiring.add(Map.entry(device, new Held(stage, until))));
    }

    private void rebuild() {
        long now = nanoClock.getAsLong();
        retiring.removeIf(e -> e.getValue().untilNanos() - now <= 0);
        Map<String, List<Held>> next = new HashMap<>();
        current.values().forEach(seats -> seats.forEach((device, stage) ->
                next.computeIfAbsent(device, d -> new ArrayList<>()).add(new Held(stage, FOREVER))));
        retiring.forEach(e -> next.computeIfAbsent(e.getKey(), d -> new ArrayList<>()).add(e.getValue()));
        Map<String, List<Held>> frozen = new HashMap<>();
        next.forEach((device, held) -> frozen.put(device, List.copyOf(held)));
        byDevice = Map.copyOf(frozen);
    }
}
