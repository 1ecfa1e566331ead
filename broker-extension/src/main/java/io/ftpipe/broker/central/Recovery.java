package io.ftpipe.broker.central;

import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.plan.Plan;
import io.ftpipe.broker.plan.StageAssignment;
import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.state.UnitState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * A job's way back from failed devices, a stalled pipeline, or its central node's restart: a new
 * term on the devices left, each unit's state from its newest surviving copy ({@link Restore}),
 * and every micro-batch not finished fed again.
 */
final class Recovery {
    /**
     * How long a resumed job waits for its devices to come back after the central node restarted:
     * devices retry every second at most, so this leaves room for a slow start. One not back by then is
     * failed (and can join later).
     */
    static final long RETURN_GRACE_MILLIS = 15_000;

    /** Starts a term with the units handed over, as the job does (checkpoint, events, listener). */
    interface TermStarter {
        void start(Plan plan, TermControl.Handover handover, long sinceMillis) throws Exception;
    }

    private final JobState state;
    private final DeviceRegistry registry;
    private final JobDevices devices;
    private final ExtensionConfig config;
    private final TermControl terms;
    private final Repartitioning planner;
    private final ReplicaStore replicas;
    private final int units;
    private final Set<Integer> buffered;
    private final JobStatus status;
    private final JobListener listener;
    private final FailedDevices failedDevices = new FailedDevices();

    Recovery(JobState state, DeviceRegistry registry, JobDevices devices, ExtensionConfig config, TermControl terms,
             Repartitioning planner, ReplicaStore replicas, Model model, JobStatus status, JobListener listener) {
        this.state = state;
        this.registry = registry;
        this.devices = devices;
        this.config = config;
        this.terms = terms;
        this.planner = planner;
        this.replicas = replicas;
        this.units = model.size();
        this.buffered = Restore.buffered(model);
        this.status = status;
        this.listener = listener;
    }

    /**
     * A new term on the devices that are left, planned for them, from {@code resumeAt}.
     *
     * @return where training goes on: the new term's first micro-batch (units behind are replayed
     *         from there) and the first micro-batch not finished
     */
    ReplayPlan recover(PipelineBroken broken, LongSupplier resumePoint, TermStarter starter) throws Exception {
        long detected = state.clock.getAsLong();
        double detectedAt = state.seconds();
        List<FailureDetector.Failure> failures = new ArrayList<>(broken.failures);
        status.event("term " + state.term + " broken: " + broken.getMessage());
        while (true) {
            // Devices often fail together (a gateway rack loses power): name all that are gone.
            List<String> listed = failures.stream().map(FailureDetector.Failure::device).toList();
            List<String> others = state.layout.devices().stream().filter(d -> !listed.contains(d)).toList();
            failures.addAll(FailureDetector.failed(others, registry::get, state.termStartMillis,
                    state.clock.getAsLong(), config.heartbeatTimeoutMillis()));
            for (FailureDetector.Failure f : failures) {
                failedDevices.failed(f.device(), state.termStartMillis, state.clock.getAsLong());
            }
            // Its own devices first, then free ones up to what it asked for: a job that lost devices
            // takes replacements, but no more than its share, so the jobs queued behind it still start.
            List<String> pool = usableDevices().stream().limit(state.spec.devices()).sorted().toList();
            if (pool.isEmpty()) {
                throw new JobFailedException("no device left to train on; failed: " + failures);
            }
            long resumeAt;
            synchronized (state) {
                resumeAt = resumePoint.getAsLong();
            }
            try {
                // A restarted device is in the pool again, but it has nothing to give.
                List<String> lost = failures.stream().map(FailureDetector.Failure::device).toList();
                List<String> survivors = state.layout.devices().stream()
                        .filter(d -> pool.contains(d) && !lost.contains(d) && holdsStage(d)).toList();
                synchronized (state) {
                    state.watched = survivors;
                    state.feeding = false;
                }
                // Summaries first: a unit that stays with its device is kept there, and only the
                // units that move travel (after a broker restart, usually none).
                Map<String, Message.Weights> answers = new LinkedHashMap<>(terms.collect(survivors, true));
                Plan plan = planner.forRecovery(pool, survivors);
                Map<Integer, Restore.Source> sources = choose(answers);
                Set<Integer> kept = Restore.keptInPlace(sources, owners(plan.assignment()));
                Set<String> fetch = Restore.toFetch(sources, kept);
                if (!fetch.isEmpty()) {
                    answers.putAll(terms.collect(List.copyOf(fetch), false));
                    sources = choose(answers);
                }
                if (rollsBack(state.spec)) {
                    // What was trained after the step rolled back to is trained again, and replicated again.
                    replicas.discardAbove(sources.get(0).iteration());
                }
                Map<Integer, UnitState> states = new TreeMap<>();
                Map<Integer, String> from = new TreeMap<>();
                sources.forEach((u, src) -> {
                    if (!kept.contains(u)) {
                        states.put(u, src.state());
                    }
                    from.put(u, src.kind() + " @" + src.iteration() + (kept.contains(u) ? ", kept" : ""));
                });
                long replayed = state.iteration - resumeAt;
                ReplayPlan replay = ReplayPlan.of(Restore.versions(sources), resumeAt, state.spec.replayLost());
                String reason = "recovery from " + (failures.isEmpty() ? "a stalled pipeline" : failures);
                state.devices = pool;
                starter.start(plan, new TermControl.Handover(states, kept, replay.start(), reason, replay.versions(),
                        resumeAt), detected);
                synchronized (state) {
                    state.recoveries.add(new JobReport.Recovery(state.term, detectedAt, Double.NaN,
                            failures.stream().map(Object::toString).toList(), broken.getMessage(), resumeAt,
                            replayed, replay.iterationsLost(), from, replay.caughtUp(),
                            replay.updatesAppliedTwice()));
                    listener.recovered(state.recoveries.get(state.recoveries.size() - 1));
                }
                return replay;
            } catch (PipelineBroken again) {
                status.event("recovery interrupted: " + again.getMessage());
                again.failures.stream().filter(f -> failures.stream().noneMatch(g -> g.device().equals(f.device())))
                        .forEach(failures::add);
            }
        }
    }

    /**
     * Does a recovery of {@code spec} roll every unit back to one step? A synchronous job that
     * replays what is lost does: its updates do not depend on the layout, so the job then ends with
     * the weights it would have had without the failure. The central node keeps replicas in rounds for it.
     */
    static boolean rollsBack(JobSpec spec) {
        return spec.scheduling().accumulates() && spec.replayLost();
    }

    private Map<Integer, Restore.Source> choose(Map<String, Message.Weights> answers) {
        return rollsBack(state.spec) ? Restore.atOneStep(units, answers, replicas.history(), buffered)
                : Restore.choose(units, answers, replicas.all());
    }

    /**
     * The central node restarted while the job ran. The devices kept their stages and the chain
     * replicas they hold, the store kept the central replicas: once the term's devices are back (or
     * the grace period is over), the devices that did not come back are failures to recover from.
     *
     * @return what broke: the devices not back
     */
    PipelineBroken afterRestart(List<String> back) {
        synchronized (state) {
            // Devices take no term older than theirs, and the last checkpoint may predate a term start.
            for (String d : back) {
                heartbeatFor(d).ifPresent(h -> state.term = Math.max(state.term, h.activity().term()));
            }
            state.termStartMillis = state.clock.getAsLong();
        }
        List<FailureDetector.Failure> gone = state.layout.devices().stream().filter(d -> !back.contains(d))
                .map(d -> new FailureDetector.Failure(d, "not back after the central node restarted")).toList();
        return new PipelineBroken(gone, "the central node restarted");
    }

    /**
     * Waits until all of {@code expected} are back (said hello and a heartbeat since), or the grace
     * period is over and some device is; then the devices alive that are back.
     */
    List<String> waitForReturn(List<String> expected, long timeoutMillis) throws Exception {
        long grace = state.clock.getAsLong() + RETURN_GRACE_MILLIS;
        long deadline = state.clock.getAsLong() + Math.max(RETURN_GRACE_MILLIS, timeoutMillis);
        while (true) {
            List<String> alive = devices.usable().stream().sorted()
                    .filter(d -> registry.get(d).map(x -> x.lastHeartbeat() != null).orElse(false)).toList();
            if (alive.containsAll(expected) || (!alive.isEmpty() && state.clock.getAsLong() > grace)) {
                status.event("devices back: " + alive + " (the last term had " + expected + ")");
                return alive;
            }
            if (state.clock.getAsLong() > deadline) {
                throw new TimeoutException("no device came back after the central node restarted");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Devices alive that no other job holds and that have not failed in this job, or have come back
     * since, or been taken into a term since ({@link FailedDevices}); the job's own first.
     */
    List<String> usableDevices() {
        return devices.usable().stream()
                .filter(d -> failedDevices.usable(d, registry.get(d), state.spec.id()))
                .toList();
    }

    /** The devices of a term that starts: whatever failed before, they are the job's again. */
    void takenIn(List<String> termDevices) {
        failedDevices.takenIn(termDevices);
    }

    /**
     * Has the device a stage of this job to give? It loaded one this term, or its heartbeat says so
     * (after a central node restart, nothing else does). A device that restarted has none.
     */
    private boolean holdsStage(String device) {
        synchronized (state) {
            return state.acks.containsValue(device) || heartbeatFor(device).isPresent();
        }
    }

    /** The device's latest heartbeat, if it was about a stage of this job. */
    private Optional<Message.Heartbeat> heartbeatFor(String device) {
        return registry.get(device).map(DeviceRegistry.Device::lastHeartbeat)
                .filter(h -> state.spec.id().equals(h.activity().job()));
    }

    /** Which device holds each unit. */
    static Map<Integer, String> owners(List<StageAssignment> stages) {
        Map<Integer, String> owners = new HashMap<>();
        stages.forEach(st -> IntStream.range(st.from(), st.to()).forEach(u -> owners.put(u, st.device())));
        return owners;
    }
}
