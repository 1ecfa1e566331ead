package io.ftpipe.zoo.model;

import io.ftpipe.zoo.layer.ParamSpec;
import io.ftpipe.zoo.layer.Shapes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A classifier as a list of partition units. Parameter names are {@code u<index>.<local name>}. */
public record Model(String name, long[] inputShape, int classes, List<Unit> units) {

    public int size() {
        return units.size();
    }

    public static String unitPrefix(int unit) {
        return "u" + unit + ".";
    }

    /** Per-sample input shape of unit {@code index} (the model input for unit 0). */
    public long[] inputShape(int index) {
        long[] shape = inputShape;
        for (int i = 0; i < index; i++) {
            shape = units.get(i).layer().outputShape(shape);
        }
        return shape;
    }

    /** Parameters and buffers of units [from, to) with their full names, in a stable order. */
    public Map<String, ParamSpec> params(int from, int to) {
        checkRange(from, to);
        Map<String, ParamSpec> out = new LinkedHashMap<>();
        for (int u = from; u < to; u++) {
            for (ParamSpec p : units.get(u).layer().params()) {
                ParamSpec full = p.withPrefix(unitPrefix(u));
                out.put(full.name(), full);
            }
        }
        return out;
    }

    public List<UnitInfo> info() {
        List<UnitInfo> out = new ArrayList<>();
        long[] shape = inputShape;
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            long count = u.layer().params().stream().mapToLong(ParamSpec::size).sum();
            long[] next = u.layer().outputShape(shape);
            out.add(new UnitInfo(i, u.name(), u.layer().describe(), count, 4 * count, u.layer().flops(shape),
                    next, 4 * Shapes.numel(next)));
            shape = next;
        }
        return out;
    }

    /** Throws a clear error for an empty or out-of-bounds unit range. */
    public void checkRange(int from, int to) {
        if (from < 0 || to > units.size() || from >= to) {
            throw new IllegalArgumentException("unit range [" + from + ", " + to + ") is out of bounds for model "
                    + name + " with " + units.size() + " units (valid: 0 <= from < to <= " + units.size() + ")");
        }
    }
}
