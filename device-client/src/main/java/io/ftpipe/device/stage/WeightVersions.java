package io.ftpipe.device.stage;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ftpipe.zoo.runtime.ParamStore;
import io.ftpipe.zoo.runtime.WeightSnapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * The weight versions that in-flight micro-batches use: one snapshot per version, shared by all
 * forwards of that version, closed once it is outdated and no micro-batch needs it any more.
 */
final class WeightVersions implements AutoCloseable {
    private final OrtEnvironment env;
    private final ParamStore store;
    private final Map<WeightSnapshot, Integer> users = new HashMap<>();
    private WeightSnapshot current;

    WeightVersions(OrtEnvironment env, ParamStore store) {
        this.env = env;
        this.store = store;
    }

    /** The current version, snapshotted on first use since the last {@link #advance}. */
    WeightSnapshot acquire() throws OrtException {
        if (current == null) {
            current = new WeightSnapshot(env, store);
        }
        users.merge(current, 1, Integer::sum);
        return current;
    }

    void release(WeightSnapshot w) {
        if (users.merge(w, -1, Integer::sum) == 0) {
            users.remove(w);
            if (w != current) {
                w.close();
            }
        }
    }

    /** The live weights changed: later forwards need a new snapshot. */
    void advance() {
        if (current != null && !users.containsKey(current)) {
            current.close();
        }
        current = null;
    }

    @Override
    public void close() {
        users.keySet().forEach(WeightSnapshot::close);
        if (current != null && !users.containsKey(current)) {
            current.close();
        }
        users.clear();
        current = null;
    }
}
