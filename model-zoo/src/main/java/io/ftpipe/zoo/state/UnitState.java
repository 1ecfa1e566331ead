package io.ftpipe.zoo.state;

import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.optim.Optimizer;
import io.ftpipe.zoo.optim.ParamState;
import io.ftpipe.zoo.runtime.ParamStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that moves with one partition unit when a stage boundary moves or a device fails:
 * its parameter and buffer values and its optimizer state. FTPipeHD re-initialises optimizer
 * state on every move; carrying it keeps momentum and Adam moments intact.
 *
 * @param values    by full parameter name
 * @param optimizer by full parameter name; absent for parameters that have not stepped
 */
public record UnitState(int unit, Map<String, float[]> values, Map<String, ParamState> optimizer) {

    /** Copies unit {@code unit}'s state out of a stage's store and optimizer (empty for a unit without parameters). */
    public static UnitState capture(int unit, ParamStore store, Optimizer opt) {
        String prefix = Model.unitPrefix(unit);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, ParamState> states = new LinkedHashMap<>();
        for (ParamStore.Entry e : store.entries()) {
            if (e.name().startsWith(prefix)) {
                values.put(e.name(), e.read());
                ParamState s = opt.state(e.name());
                if (s != null) {
                    states.put(e.name(), s);
                }
            }
        }
        return new UnitState(unit, values, states);
    }

    /** Writes this state into a stage's store and optimizer (which must hold the unit). */
    public void apply(ParamStore store, Optimizer opt) {
        values.forEach((name, v) -> store.get(name).write(v));
        optimizer.forEach(opt::restore);
    }
}
