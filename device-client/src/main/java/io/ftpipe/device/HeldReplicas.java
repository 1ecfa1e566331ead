package io.ftpipe.device;

import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chain replicas a device holds for the stage before it: the newest copy of each unit. They
 * outlive a re-plan (a unit's previous owner may fail after it) but not the job. Used from the
 * device's delivery thread only.
 */
final class HeldReplicas {
    /** One single-unit replica per unit. */
    private final Map<Integer, Message.Replica> units = new TreeMap<>();
    private String job = "";

    /** A new assignment: replicas of another job are of no use any more. */
    void forJob(String job) {
        if (!job.equals(this.job)) {
            units.clear();
            this.job = job;
        }
    }

    /**
     * Keeps the units of {@code r}, each replacing an older copy of the same unit.
     *
     * @param states the replica's unit states, decoded
     */
    void keep(Message.Replica r, List<UnitState> states) {
        for (int i = 0; i < states.size(); i++) {
            units.merge(states.get(i).unit(),
                    new Message.Replica(r.job(), r.term(), r.stage(), r.iteration(), List.of(r.units().get(i)),
                            List.of(r.version(i))),
                    (old, now) -> now.version(0) >= old.version(0) ? now : old);
        }
    }

    List<Message.Replica> all() {
        return List.copyOf(units.values());
    }

    /** Which units' replicas are held and how new they are, without their tensors. */
    List<Message.Replica> summaries() {
        return units.entrySet().stream().map(e -> {
            Message.Replica r = e.getValue();
            UnitState summary = new UnitState(e.getKey(), Map.of(), Map.of());
            return new Message.Replica(r.job(), r.term(), r.stage(), r.iteration(),
                    UnitStatePayloads.encode(List.of(summary)), r.versions());
        }).toList();
    }
}
