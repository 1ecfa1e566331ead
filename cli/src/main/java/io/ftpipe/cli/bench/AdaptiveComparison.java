package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.cli.report.ThroughputChart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The adaptive planner's run against the speed-blind split's and the best single device's, as
 * {@code bench hetero} and {@code bench edge} report it: steady throughputs (from a few seconds after
 * the last layout change, or after the scenario's change for the speed-blind run), the speed-up, how
 * well the plan's prediction held, how long re-planning took after a change, and how long each
 * layout change stopped training.
 */
public record AdaptiveComparison(RunResult adaptive, RunResult blind, RunResult single) {
    /** Throughput is averaged over windows this long (seconds) for the chart and the re-plan time. */
    static final double WINDOW = 4;
    /** After a layout starts, the pipeline refills for a moment; steady throughput is measured after it. */
    static final double SETTLE = 5;

    public double adaptiveRate() {
        List<Double> terms = adaptive.termSeconds();
        return adaptive.timeline().samplesPerSecond(terms.get(terms.size() - 1) + SETTLE);
    }

    public double blindRate() {
        boolean changes = !Double.isNaN(blind.changeSeconds());
        return blind.timeline().samplesPerSecond((changes ? blind.changeSeconds() : blind.termSeconds().get(0))
                + SETTLE);
    }

    public double singleRate() {
        return single.timeline().samplesPerSecond(single.termSeconds().get(0) + SETTLE);
    }

    public double speedup() {
        return adaptiveRate() / blindRate();
    }

    public double planEfficiency() {
        return adaptiveRate() / lastTerm().predictedSamplesPerSecond();
    }

    /** Seconds from the change until the adaptive run is within 10 % of its final pace; NaN without a change. */
    public double replanSeconds() {
        return Double.isNaN(adaptive.changeSeconds()) ? Double.NaN
                : adaptive.timeline().secondsToReach(adaptive.changeSeconds(), adaptiveRate(), WINDOW);
    }

    /** For each layout change of the adaptive run, the seconds no micro-batch finished around it. */
    public List<Double> replanPauses() {
        List<Double> terms = adaptive.termSeconds();
        return adaptive.timeline().pausesAround(terms.subList(1, terms.size()));
    }

    private JobReport.Term lastTerm() {
        List<JobReport.Term> terms = adaptive.report().terms();
        return terms.get(terms.size() - 1);
    }

    /** The report's fields that both benchmarks share. */
    public Map<String, Object> json() {
        JobReport a = adaptive.report();
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("adaptive", adaptiveRate());
        throughput.put("speed_blind", blindRate());
        throughput.put("best_single", singleRate());
        throughput.put("adaptive_whole_run", a.samplesPerSecond());
        json.put("throughput", throughput);
        json.put("speedup_vs_speed_blind", speedup());
        json.put("speedup_vs_best_single", adaptiveRate() / singleRate());
        json.put("predicted_adaptive", lastTerm().predictedSamplesPerSecond());
        json.put("plan_efficiency", planEfficiency());
        json.put("recosted_adaptive", a.recostedSamplesPerSecond());
        json.put("cost_model_efficiency", adaptiveRate() / a.recostedSamplesPerSecond());
        json.put("capacities_at_end", a.capacities());
        if (!Double.isNaN(adaptive.changeSeconds())) {
            json.put("change_at_seconds", adaptive.changeSeconds());
            json.put("change_made", adaptive.change());
            json.put("replan_seconds", replanSeconds());
        }
        json.put("replan_pause_seconds", replanPauses());
        json.put("terms", a.terms());
        json.put("speed_blind_plan", blind.report().stages());
        json.put("adaptive_test_accuracy", a.testAccuracy());
        json.put("adaptive_samples_per_epoch", a.epochs().get(0).samples());
        json.put("adaptive_duplicate_micro_batches", a.duplicateMicroBatches());
        json.put("adaptive_events", a.events());
        return json;
    }

    /** Throughput over time of the three runs, layout changes and the scenario's change marked. */
    public ThroughputChart chart(String title, String change) {
        ThroughputChart chart = new ThroughputChart(title);
        chart.series("adaptive", adaptive.timeline().windowed(WINDOW));
        chart.series("speed-blind", blind.timeline().windowed(WINDOW));
        chart.series("best single device", single.timeline().windowed(WINDOW));
        chart.moments("re-partition", adaptive.termSeconds().subList(1, adaptive.termSeconds().size()));
        if (!Double.isNaN(adaptive.changeSeconds())) {
            chart.moments(change, List.of(adaptive.changeSeconds()));
        }
        return chart;
    }
}
