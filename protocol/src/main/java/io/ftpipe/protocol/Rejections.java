package io.ftpipe.protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counts rejected messages by reason and logs each with its reason. Thread-safe. */
public final class Rejections {
    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);
    private final Map<RejectReason, AtomicLong> counts = new EnumMap<>(RejectReason.class);

    public Rejections() {
        for (RejectReason r : RejectReason.values()) {
            counts.put(r, new AtomicLong());
        }
    }

    public void reject(String topic, ProtocolException e) {
        counts.get(e.reason()).incrementAndGet();
        LOG.warn("rejected message on {}: {}", topic, e.getMessage());
    }

    public long count(RejectReason reason) {
        return counts.get(reason).get();
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Non-zero counts by reason name, for reports and status. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((r, c) -> {
            if (c.get() > 0) {
                out.put(r.name().toLowerCase(), c.get());
            }
        });
        return out;
    }
}
