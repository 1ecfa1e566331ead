package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.state.UnitState;
import io.ftpipe.zoo.state.UnitStatePayloads;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Where each unit's weights and optimizer state come from after a failure: the newest of the
 * surviving owner's live copy, a chain replica a surviving device holds, and the central node's
 * replica, preferred in that order when equally new. Pure.
 */
final class Restore {
    static final String LIVE = "device";
    static final String CHAIN = "chain replica";
    static final String CENTRAL = "central replica";

    private Restore() {
    }

    /**
     * The state a unit resumes from, where it was found (the device that holds it, or null for the
     * central replica), and its version ({@code iteration}): the micro-batch below which it holds
     * every update.
     */
    record Source(UnitState state, String kind, String device, long iteration) {
    }

    /**
     * @param live    the survivors' answers to a collect, by device: their own units and the chain
     *                replicas they hold (summaries without tensors will do to choose)
     * @param central the central node's replica of every unit it has one of
     * @throws IllegalStateException if no copy of some unit survived
     */
    static Map<Integer, Source> choose(int units, Map<String, Message.Weights> live,
                                       Map<Integer, ReplicaStore.Replica> central) {
        Map<Integer, Source> best = new TreeMap<>();
        survivingCopies(live, s -> offer(best, s));
        central.values().forEach(r -> offer(best, new Source(r.state(), CENTRAL, null, r.iteration())));
        for (int u = 0; u < units; u++) {
            if (!best.containsKey(u)) {
                throw new IllegalStateException("no copy of unit " + u + " survived: not on any device, not replicated");
            }
        }
        return best;
    }

    /**
     * For a job that rolls back ({@link Recovery#rollsBack}): every unit's state as of one step, the
     * newest of which every unit has a copy, each copy preferred as in {@link #choose}. The job then
     * goes on as if nothing had failed. A live copy of a unit with buffers does not count: the
     * forwards of the broken step have already moved its running statistics past its version.
     *
     * @param central  every replica the central node holds, by unit and iteration
     * @param buffered units with buffers (running statistics)
     * @throws IllegalStateException if no step has a copy of every unit
     */
    static Map<Integer, Source> atOneStep(int units, Map<String, Message.Weights> live,
                                          Map<Integer, NavigableMap<Long, ReplicaStore.Replica>> central,
                                          Set<Integer> buffered) {
        Map<Integer, Map<Long, Source>> copies = new TreeMap<>();
        survivingCopies(live, s -> {
            if (!(LIVE.equals(s.kind()) && buffered.contains(s.state().unit()))) {
                offerAt(copies, s);
            }
        });
        central.values().forEach(held -> held.values()
                .forEach(r -> offerAt(copies, new Source(r.state(), CENTRAL, null, r.iteration()))));
        TreeSet<Long> common = new TreeSet<>(copies.getOrDefault(0, Map.of()).keySet());
        for (int u = 1; u < units; u++) {
            common.retainAll(copies.getOrDefault(u, Map.of()).keySet());
        }
        if (common.isEmpty()) {
            throw new IllegalStateException("no step of which every unit has a copy: " + copies.entrySet().stream()
                    .map(e -> "unit " + e.getKey() + " at " + e.getValue().keySet()).toList());
        }
        long step = common.last();
        Map<Integer, Source> chosen = new TreeMap<>();
        for (int u = 0; u < units; u++) {
            chosen.put(u, copies.get(u).get(step));
        }
        return chosen;
    }

    /** Offers are made in order of preference, so a later copy of the same iteration does not replace. */
    private static void offerAt(Map<Integer, Map<Long, Source>> copies, Source s) {
        copies.computeIfAbsent(s.state().unit(), u -> new TreeMap<>()).putIfAbsent(s.iteration(), s);
    }

    /** The units of {@code model} with buffers: values that training changes but no gradient does. */
    static Set<Integer> buffered(Model model) {
        Set<Integer> units = new TreeSet<>();
        for (int u = 0; u < model.size(); u++) {
            if (model.params(u, u + 1).values().stream().anyMatch(p -> !p.trainable())) {
                units.add(u);
            }
        }
        return units;
    }

    /** The survivors' copies in order of preference: their own live units, then the chain replicas they hold. */
    private static void survivingCopies(Map<String, Message.Weights> live, Consumer<Source> offer) {
        live.forEach((d, w) -> {
            List<UnitState> decoded = decode(w.units(), w.versions(), "the weights of " + d);
            for (int i = 0; i < decoded.size(); i++) {
                offer.accept(new Source(decoded.get(i), LIVE, d, w.version(i)));
            }
        });
        live.forEach((d, w) -> w.held().forEach(r -> {
            List<UnitState> decoded = decode(r.units(), r.versions(), "a chain replica held by " + d);
            for (int i = 0; i < decoded.size(); i++) {
                offer.accept(new Source(decoded.get(i), CHAIN, d, r.version(i)));
            }
        }));
    }

    private static List<UnitState> decode(List<byte[]> payloads, List<Long> versions, String what) {
        List<UnitState> units = UnitStatePayloads.decode(payloads);
        if (!versions.isEmpty() && versions.size() != units.size()) {
            throw new IllegalArgumentException(what + " has " + versions.size() + " versions for " + units.size()
                    + " units");
        }
        return units;
    }

    /** Each unit's version: the micro-batch below which its chosen state holds every update. */
    static Map<Integer, Long> versions(Map<Integer, Source> sources) {
        Map<Integer, Long> v = new TreeMap<>();
        sources.forEach((u, s) -> v.put(u, s.iteration()));
        return v;
    }

    /** Offers are made in order of preference, so an equally new later one does not replace. */
    private static void offer(Map<Integer, Source> best, Source s) {
        Source current = best.get(s.state().unit());
        if (current == null || s.iteration() > current.iteration()) {
            best.put(s.state().unit(), s);
        }
    }

    /**
     * The units whose newest copy is the live one of the device that holds them next
     * ({@code owners}: unit to device): that device keeps them, and nothing moves.
     */
    static Set<Integer> keptInPlace(Map<Integer, Source> sources, Map<Integer, String> owners) {
        Set<Integer> kept = new TreeSet<>();
        sources.forEach((u, s) -> {
            if (LIVE.equals(s.kind()) && s.device().equals(owners.get(u))) {
                kept.add(u);
            }
        });
        return kept;
    }

    /** The devices whose copies of units not {@code kept} must be sent to the central node. */
    static Set<String> toFetch(Map<Integer, Source> sources, Set<Integer> kept) {
        Set<String> fetch = new TreeSet<>();
        sources.forEach((u, s) -> {
            if (!kept.contains(u) && s.device() != null) {
                fetch.add(s.device());
            }
        });
        return fetch;
    }

    /** The micro-batches of training that units restored from {@code sources} miss, resuming at {@code resumeAt}. */
    static long iterationsLost(Map<Integer, Source> sources, long resumeAt) {
        return sources.values().stream().mapToLong(s -> Math.max(0, resumeAt - s.iteration())).max().orElse(0);
    }
}
