package io.ftpipe.broker.central;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which job holds which device, and the jobs waiting for devices. A device belongs to one job at a
 * time, so that jobs on disjoint devices train, recover and re-plan without ever sharing a stage's
 * device. A job waits in first-come order: the head of the queue takes its devices as soon as
 * enough are free, and no job behind it starts before it does. Backfilling (a later, smaller job
 * starting while the head waits) would use idle devices sooner, but the head could wait for ever
 * behind a stream of small jobs; a queue that only moves in order cannot starve anyone.
 *
 * <p>Pure bookkeeping, no clock and no I/O: callers pass the devices alive as they see them.
 * Thread-safe: jobs call it from their own threads.
 */
public final class DeviceLeases {
    /** Device to the job that holds it. */
    private final Map<String, String> holders = new HashMap<>();
    /** Jobs waiting for their first devices, in arrival order, with how many each asked for. */
    private final LinkedHashMap<String, Integer> queue = new LinkedHashMap<>();

    /** {@code job} waits for {@code wanted} devices, behind every job that waits already. */
    public synchronized void enqueue(String job, int wanted) {
        if (wanted < 1) {
            throw new IllegalArgumentException("job " + job + " asks for " + wanted + " devices; at least 1");
        }
        if (holders.containsValue(job)) {
            throw new IllegalStateException("job " + job + " holds devices already");
        }
        queue.putIfAbsent(job, wanted);
    }

    /**
     * What a claim got: the devices, now the job's, or (none) why it must wait: its place in the
     * queue and the devices free, as they were at that moment.
     */
    public record Claim(List<String> devices, int position, int free) {
        public boolean granted() {
            return !devices.isEmpty();
        }
    }

    /**
     * The devices for a waiting job, held by it from now on: the first it asked for among the free
     * ones of {@code alive}, once it is first in the queue and enough are free.
     *
     * @return no devices while the job must wait (or does not wait at all: position 0)
     */
    public synchronized Claim claim(String job, List<String> alive) {
        List<String> free = alive.stream().filter(d -> !holders.containsKey(d)).toList();
        Integer wanted = queue.get(job);
        int position = position(job);
        if (wanted == null || position != 1 || free.size() < wanted) {
            return new Claim(List.of(), position, free.size());
        }
        List<String> taken = List.copyOf(free.subList(0, wanted));
        taken.forEach(d -> holders.put(d, job));
        queue.remove(job);
        return new Claim(taken, 0, free.size() - wanted);
    }

    /** The job's place in the queue, 1 for the first; 0 if it does not wait. */
    public synchronized int position(String job) {
        int p = 1;
        for (String waiting : queue.keySet()) {
            if (waiting.equals(job)) {
                return p;
            }
            p++;
        }
        return 0;
    }

    /**
     * The devices of {@code alive} a running job may plan with: its own first, then the free ones.
     * Devices another job holds are never offered.
     */
    public synchronized List<String> usable(String job, List<String> alive) {
        List<String> out = new ArrayList<>();
        alive.stream().filter(d -> job.equals(holders.get(d))).forEach(out::add);
        alive.stream().filter(d -> !holders.containsKey(d)).forEach(out::add);
        return out;
    }

    /**
     * A new term of {@code job} runs on {@code devices}: from now on the job holds exactly these,
     * and the ones it no longer uses are free for others. If another job took one of them meanwhile
     * (both saw it free), nothing changes and the taken devices are returned: the term must not start.
     *
     * @return the devices of {@code devices} that another job holds, with that job; empty when held
     */
    public synchronized Map<String, String> hold(String job, Collection<String> devices) {
        Map<String, String> taken = new TreeMap<>();
        for (String d : devices) {
            String holder = holders.get(d);
            if (holder != null && !holder.equals(job)) {
                taken.put(d, holder);
            }
        }
        if (taken.isEmpty()) {
            holders.values().removeIf(job::equals);
            devices.forEach(d -> holders.put(d, job));
            queue.remove(job);
        }
        return taken;
    }

    /** The job ended (complete, failed or stopped): its devices are free and it waits no more. */
    public synchronized void release(String job) {
        holders.values().removeIf(job::equals);
        queue.remove(job);
    }

    /** The job that holds {@code device}, if one does. */
    public synchronized Optional<String> holder(String device) {
        return Optional.ofNullable(holders.get(device));
    }

    /** The devices {@code job} holds, in order of id. */
    public synchronized List<String> heldBy(String job) {
        return holders.entrySet().stream().filter(e -> e.getValue().equals(job)).map(Map.Entry::getKey).sorted()
                .toList();
    }

    /** The waiting jobs, first first. */
    public synchronized List<String> waiting() {
        return List.copyOf(queue.keySet());
    }
}
