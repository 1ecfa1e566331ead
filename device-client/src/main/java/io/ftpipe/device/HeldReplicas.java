package io.ftpipe.device;

import io.ftpipe.protocol.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The chain replicas a device holds for the stage before it: the newest copy of each unit. They
 * outlive a re-plan (a unit's previous owner may fail after it) but not the job. Used from the
 * device's delivery thread only.
 */
final class HeldReplicas {
    private final List<Message.Replica> replicas = new ArrayList<>();
    private String job = "";

    /** A new assignment: replicas of another job are of no use any more. */
    void forJob(String job) {
        if (!job.equals(this.job)) {
            replicas.clear();
            this.job = job;
        }
    }

    /** Keeps {@code r}, dropping older replicas that cover any of its units. */
    void keep(Message.Replica r) {
        replicas.removeIf(old -> old.units().stream().anyMatch(u -> r.units().stream()
                .anyMatch(n -> n.unit() == u.unit())));
        replicas.add(r);
    }

    List<Message.Replica> all() {
        return List.copyOf(replicas);
    }
}
