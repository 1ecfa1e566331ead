package io.ftpipe.broker.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.JobWatcher;
import io.ftpipe.broker.json.PublishedJson;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.model.UnitInfo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One job as the dashboard shows it: its last status (plan, capacities), a series sampled once a
 * second (micro-batches done, recent loss, samples/s), its epochs' accuracies and the model's
 * units with the bytes each would send across a stage boundary. Told by the job on its threads,
 * read by the dashboard's ticker: quick, and its events are told without holding its own lock
 * (the view locks itself, then this).
 */
final class JobProgress implements JobListener {
    /** Fifteen minutes at one point a second: enough to see a trend, bounded in memory. */
    static final int MAX_POINTS = 900;

    private final String id;
    private final JobSpec spec;
    private final Consumer<LiveEvent> events;
    private final List<UnitInfo> units;
    private final Deque<double[]> series = new ArrayDeque<>();
    private final List<JobReport.Epoch> epochs = new ArrayList<>();
    private Map<String, Object> status = Map.of();
    private String state = "running";
    private String error;
    private long done;
    private double loss = Double.NaN;
    private long sampledDone = -1;
    private long sampledAt;

    JobProgress(String id, JobSpec spec, Consumer<LiveEvent> events) {
        this.id = id;
        this.spec = spec;
        this.events = events;
        this.units = spec == null ? List.of() : units(spec.model());
    }

    /** A model another part of the system knows and the zoo does not (an imported one) has no units here. */
    private static List<UnitInfo> units(String model) {
        try {
            return ModelZoo.create(model).info();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    String id() {
        return id;
    }

    synchronized boolean running() {
        return state.equals("running");
    }

    synchronized void status(Map<String, Object> s) {
        status = s;
    }

    synchronized void ended(String how, String why) {
        state = how;
        error = why;
    }

    @Override
    public synchronized void microBatchDone(long done, double recentLoss) {
        this.done = done;
        this.loss = recentLoss;
    }

    /** The event is told outside this object's lock: the view takes its own lock, then this one's. */
    @Override
    public void epochDone(JobReport.Epoch epoch) {
        synchronized (this) {
            epochs.add(epoch);
        }
        events.accept(new LiveEvent("epoch", id, String.format("job %s: epoch %d, test accuracy %.4f", id,
                epoch.epoch(), epoch.testAccuracy())));
    }

    @Override
    public void termStarted(JobReport.Term term) {
        events.accept(new LiveEvent("plan", id, "job " + id + ": term " + term.term() + " on "
                + String.join(", ", term.devices()) + " (" + term.reason() + ")"));
    }

    @Override
    public void replanned(JobReport.Term term) {
        events.accept(new LiveEvent("replan", id, "job " + id + ": re-planned from measured speeds, term "
                + term.term()));
    }

    /** The job tells of a recovery once it resumed: first what failed (and when), then how it went on. */
    @Override
    public void recovered(JobReport.Recovery r) {
        events.accept(new LiveEvent("failure", id, String.format("job %s lost %s at %.1f s", id,
                String.join(", ", r.failed()), r.detectedAtSeconds())));
        // Told as the new term starts, before its resume time is known.
        events.accept(new LiveEvent("recovery", id, String.format("job %s recovered in term %d without %s, from "
                + "micro-batch %d", id, r.term(), String.join(", ", r.failed()), r.resumedFrom())));
    }

    /**
     * Adds a point: samples/s over the last second. A recovery rewinds the count to the micro-batch
     * it feeds again; that second shows no progress rather than a negative rate.
     */
    synchronized void sample(long nowMillis) {
        if (!running()) {
            return;
        }
        double perSecond = 0;
        if (sampledDone >= 0 && done > sampledDone && nowMillis > sampledAt) {
            perSecond = (done - sampledDone) * (double) microBatchSize() * 1000.0 / (nowMillis - sampledAt);
        }
        sampledDone = done;
        sampledAt = nowMillis;
        series.addLast(new double[]{nowMillis, done, loss, perSecond});
        while (series.size() > MAX_POINTS) {
            series.removeFirst();
        }
    }

    private int microBatchSize() {
        return spec == null ? 0 : spec.microBatchSize();
    }

    synchronized ObjectNode json() {
        ObjectNode o = PublishedJson.MAPPER.createObjectNode();
        o.put("id", id);
        // A job that waits for devices is running to this view, and queued to the operator.
        o.put("state", running() && JobWatcher.QUEUED.equals(status.get("state")) ? JobWatcher.QUEUED : state);
        if (error != null) {
            o.put("error", error);
        }
        o.set("status", PublishedJson.MAPPER.valueToTree(status));
        if (spec != null) {
            o.put("model", spec.model());
            o.put("micro_batch_size", spec.microBatchSize());
            o.put("epochs_total", spec.epochs());
        }
        ArrayNode u = o.putArray("units");
        for (UnitInfo info : units) {
            u.addObject().put("index", info.index()).put("name", info.name())
                    .put("output_bytes", info.outputBytes() * microBatchSize());
        }
        ArrayNode points = o.putArray("series");
        for (double[] p : series) {
            ArrayNode a = points.addArray().add((long) p[0]).add((long) p[1]);
            if (Double.isFinite(p[2])) {
                a.add(p[2]);
            } else {
                a.addNull();
            }
            a.add(Math.round(p[3] * 10) / 10.0);
        }
        ArrayNode e = o.putArray("epochs");
        for (JobReport.Epoch epoch : epochs) {
            e.add(PublishedJson.MAPPER.valueToTree(epoch));
        }
        return o;
    }
}
