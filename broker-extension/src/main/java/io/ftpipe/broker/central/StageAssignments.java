package io.ftpipe.broker.central;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages each device runs now, as the central node decided them. Jobs write it when a term
 * starts (before the devices are told, so that a device's subscription to its new stage is never
 * refused) and when they end; the MQTT access rules read it for every publish and subscribe.
 *
 * <p>Writes are rare (once per term) and reads are constant, so reads see an immutable snapshot
 * through a volatile field and never lock; writes rebuild the snapshot under a lock.
 */
public final class StageAssignments implements AssignedStages {
    /** Per job: which device runs which stage. */
    private final Map<String, Map<String, AssignedStage>> byJob = new HashMap<>();
    private volatile Map<String, List<AssignedStage>> byDevice = Map.of();

    /** The job's layout from now on, replacing its previous one (devices left out lose theirs). */
    public synchronized void place(String job, JobReport.Term layout) {
        Map<String, AssignedStage> seats = new HashMap<>();
        int stages = layout.stages().size();
        for (JobReport.Stage s : layout.stages()) {
            seats.put(s.device(), new AssignedStage(job, s.stage(), stages));
        }
        byJob.put(job, seats);
        rebuild();
    }

    /** The job ended: its devices keep no stage of it. */
    public synchronized void forget(String job) {
        if (byJob.remove(job) != null) {
            rebuild();
        }
    }

    @Override
    public List<AssignedStage> of(String device) {
        return byDevice.getOrDefault(device, List.of());
    }

    private void rebuild() {
        Map<String, List<AssignedStage>> next = new HashMap<>();
        byJob.values().forEach(seats -> seats.forEach((device, stage) ->
                next.computeIfAbsent(device, d -> new ArrayList<>()).add(stage)));
        Map<String, List<AssignedStage>> frozen = new HashMap<>();
        next.forEach((device, stages) -> frozen.put(device, List.copyOf(stages)));
        byDevice = Map.copyOf(frozen);
    }
}
