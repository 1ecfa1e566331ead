package io.ftpipe.device.stage;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.runtime.ParamStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which micro-batches' updates each unit of a stage already held when its term began (its version:
 * it holds every update below it). A replay after a recovery runs micro-batches some units hold and
 * others lost; each update goes only into the units that lack it, so none is applied twice.
 */
final class HeldUpdates {
    /** Per unit of the stage (from its first): the micro-batch below which it held every update. */
    private final long[] heldBelow;
    /** Which unit each parameter and buffer belongs to, as an index into {@link #heldBelow}. */
    private final Map<String, Integer> unitOf;
    private long skipped;

    private HeldUpdates(long[] heldBelow, Map<String, Integer> unitOf) {
        this.heldBelow = heldBelow;
        this.unitOf = unitOf;
    }

    /** @throws ProtocolException if the assignment's versions do not fit its units */
    static HeldUpdates of(Message.Assign assignment, int firstUnit, int units, ParamStore store) {
        if (!assignment.versions().isEmpty() && assignment.versions().size() != units) {
            throw new ProtocolException(RejectReason.MALFORMED, "assign has " + assignment.versions().size()
                    + " versions for " + units + " units");
        }
        long[] heldBelow = new long[units];
        Map<String, Integer> unitOf = new HashMap<>();
        for (int k = 0; k < units; k++) {
            heldBelow[k] = assignment.version(k);
            if (heldBelow[k] < 0) {
                throw new ProtocolException(RejectReason.MALFORMED, "assign version " + heldBelow[k] + " of unit "
                        + (firstUnit + k) + " is negative");
            }
            String prefix = Model.unitPrefix(firstUnit + k);
            for (ParamStore.Entry e : store.entries()) {
                if (e.name().startsWith(prefix)) {
                    unitOf.put(e.name(), k);
                }
            }
        }
        return new HeldUpdates(heldBelow, unitOf);
    }

    /**
     * Per unit, in order: the micro-batch below which its state holds every update, once the stage
     * has trained through {@code trainedThrough}. A unit that began ahead stays ahead until then.
     */
    List<Long> versions(long trainedThrough) {
        List<Long> v = new ArrayList<>();
        for (long held : heldBelow) {
            v.add(Math.max(held, trainedThrough));
        }
        return v;
    }

    /** Does micro-batch {@code i}'s update go into the parameter or buffer {@code name}? */
    boolean updates(String name, long i) {
        Integer k = unitOf.get(name);
        return k == null || i >= heldBelow[k];
    }

    /** Is some unit of the stage to skip micro-batch {@code i}'s update? */
    boolean skipsAny(long i) {
        for (long held : heldBelow) {
            if (i < held) {
                return true;
            }
        }
        return false;
    }

    /** The parameters micro-batch {@code i}'s optimizer step updates; counts the units it skips. */
    Predicate<String> skipping(long i) {
        for (long held : heldBelow) {
            if (i < held) {
                skipped++;
            }
        }
        return name -> updates(name, i);
    }

    /** Updates of a micro-batch not applied to a unit that already held them, counted per unit. */
    long skipped() {
        return skipped;
    }
}
