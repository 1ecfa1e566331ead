package io.ftpipe.broker.central;

import io.ftpipe.broker.plan.Plan;
import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * An adaptive job's re-plans, in two parts so that training goes on through the slow one. When
 * the measured capacities call for a better layout ({@link Repartitioning#better}), the devices
 * whose stage changes build and warm up its sessions while the current term trains
 * ({@link TermControl#prepare}). Once they all have (or {@link #PREPARE_TIMEOUT_MILLIS} passed),
 * at the next step boundary, the pipeline drains, only the units that move are collected and sent,
 * and the new term starts on sessions that are ready. A failure meanwhile ends the term, and the
 * prepared re-plan with it.
 */
final class Replans {
    /** How a re-planned term's reason begins. */
    static final String REASON = "measured capacities";
    /** A device that has not prepared by then builds its sessions when the term starts instead. */
    static final long PREPARE_TIMEOUT_MILLIS = 30_000;

    /** Starts the new term (the job's own start of a term). */
    interface Starter {
        JobReport.Term start(Plan plan, TermControl.Handover handover, long sinceMillis,
                             Map<String, JobReport.Capacity> measured) throws Exception;
    }

    private record Pending(Repartitioning.Decision decision, String reason, long term, List<String> asked,
                           long sinceMillis) {
    }

    private final JobState state;
    private final JobStatus status;
    private final TermControl terms;
    private final Repartitioning planner;
    private final JobDevices devices;
    private final Recovery recovery;
    private final JobListener listener;
    private Pending pending;

    Replans(JobState state, JobStatus status, TermControl terms, Repartitioning planner, JobDevices devices,
            Recovery recovery, JobListener listener) {
        this.state = state;
        this.status = status;
        this.terms = terms;
        this.planner = planner;
        this.devices = devices;
        this.recovery = recovery;
        this.listener = listener;
    }

    /**
     * At a step boundary: makes a prepared re-plan once its stages are ready, or, when
     * {@code lookNow}, looks for a better layout and has its stages prepared.
     *
     * @param remaining micro-batches left in the job (a re-plan must pay for itself within them)
     */
    void atStepBoundary(long remaining, boolean lookNow, Starter starter) throws Exception {
        LongSupplier clock = state.clock;
        if (pending != null) {
            Pending p = pending;
            boolean ready;
            synchronized (state) {
                ready = state.prepared.containsAll(p.asked());
            }
            if (p.term() != state.term) {
                pending = null;
            } else if (ready || clock.getAsLong() - p.sinceMillis() >= PREPARE_TIMEOUT_MILLIS) {
                pending = null;
                status.event(String.format("stages %s prepared in %d ms", ready ? "all" : "not all",
                        clock.getAsLong() - p.sinceMillis()));
                replan(p, starter);
            }
            return;
        }
        if (!lookNow) {
            return;
        }
        // Alive and not another job's: a device left out earlier and taken since is no candidate.
        var decision = planner.better(devices.usable(), recovery.usableDevices(), remaining);
        if (decision.isEmpty()) {
            return;
        }
        Plan better = decision.get().plan();
        String reason = String.format(REASON + ": predicted %.0f -> %.0f samples/s",
                planner.samplesPerSecond(decision.get().current()), planner.samplesPerSecond(better));
        status.event("re-planning (" + reason + ")");
        pending = new Pending(decision.get(), reason, state.term, terms.prepare(better), clock.getAsLong());
    }

    /** Drains the pipeline, moves only the units that change device, and starts the new term. */
    private void replan(Pending p, Starter starter) throws Exception {
        Plan better = p.decision().plan();
        List<String> joined = better.stages().stream().map(io.ftpipe.broker.plan.Stage::device)
                .filter(d -> !state.devices.contains(d)).toList();
        if (!joined.isEmpty()) {
            status.event("devices " + joined + " join the job at this re-plan");
            List<String> grown = new ArrayList<>(state.devices);
            grown.addAll(joined);
            state.devices = List.copyOf(grown);
        }
        long migrationStart = state.clock.getAsLong();
        terms.drain("the pipeline to drain before re-planning");
        // Drained, the devices' units stand still: those that stay with their device are kept, and
        // only the units that move are collected (from their current owners) and sent.
        long drained = state.clock.getAsLong();
        var moves = Repartitioning.Moves.between(Repartitioning.assignment(state.layout), better.assignment());
        Map<Integer, UnitState> moving = new TreeMap<>();
        for (Message.Weights w : terms.collect(moves.giving(), false).values()) {
            UnitStatePayloads.decode(w.units()).stream().filter(u -> !moves.kept().contains(u.unit()))
                    .forEach(u -> moving.put(u.unit(), u));
        }
        // Where a re-plan's time goes: the drain, the collect, and (the rest of "ready in") the load.
        status.event(String.format("drained in %d ms; units %s collected in %d ms", drained - migrationStart,
                moving.keySet(), state.clock.getAsLong() - drained));
        listener.replanned(starter.start(better, new TermControl.Handover(moving, moves.kept(), state.iteration,
                p.reason()), migrationStart, p.decision().measured()));
    }
}
