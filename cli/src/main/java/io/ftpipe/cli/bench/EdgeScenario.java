package io.ftpipe.cli.bench;

import io.ftpipe.cli.testbed.HostSpec;

import java.util.List;

/**
 * A scenario of {@code bench edge}: the testbed's hosts (CPU quotas and link rates), the model that
 * shows what the scenario is about, and what changes half-way.
 *
 * <p>Quotas: the four device hosts together get about 1.3 of this machine's 2 cores, so the broker
 * and the central node keep the rest. A quota of 0.42 cores is a gateway's core under load; 0.042
 * is ten times slower.
 *
 * @param samples training samples of the adaptive and single-host runs: cnn's micro-batches are
 *                done several times faster than mobilenetv2's, and a short run ends before the
 *                last layout's pace can be measured
 * @param change  what happens half-way through each run, or null
 */
public record EdgeScenario(String name, String model, int batchSize, int samples, List<HostSpec> hosts,
                           Change change) {
    public static final List<String> NAMES = List.of("h10", "wifi", "mixed", "drift", "link-drop");
    private static final double CORE = 0.42;
    private static final double EQUAL = 0.3;
    private static final List<Double> FAST = List.of(1000.0, 1000.0, 1000.0, 1000.0);
    private static final List<Double> WIFI = List.of(20.0, 50.0, 100.0, 100.0);
    private static final int MOBILENET_SAMPLES = 6400;
    private static final int CNN_SAMPLES = 25600;

    /**
     * A host's quota or link rate divided by {@code factor}: the host of the first stage of the
     * layout the job is on then. A fixed host would be one the adaptive plan may already have
     * left out (link-drop's cnn runs on two of the four hosts), and then nothing would change.
     */
    public record Change(boolean cpu, double factor) {
        public String describe() {
            return "the first stage's " + (cpu ? "CPU quota" : "link rate") + " cut " + factor + "x";
        }

        public String describe(String device) {
            return device + "'s " + (cpu ? "CPU quota" : "link rate") + " cut " + factor + "x";
        }
    }

    /**
     * h10 and drift train mobilenetv2 (ten units of uneven compute: what CPU quotas are felt on);
     * wifi, mixed and link-drop train cnn at batch 64, whose boundaries carry 0.8 and 1.6 MB per
     * micro-batch, so that at Wi-Fi rates the links, not the CPUs, bind.
     */
    public static EdgeScenario named(String name) {
        return switch (name) {
            case "h10" -> mobilenet(name, List.of(CORE, CORE, CORE, CORE / 10), FAST, null);
            case "wifi" -> cnn(name, List.of(EQUAL, EQUAL, EQUAL, EQUAL), WIFI, null);
            case "mixed" -> cnn(name, List.of(CORE, CORE, CORE, CORE / 10), WIFI, null);
            case "drift" -> mobilenet(name, List.of(EQUAL, EQUAL, EQUAL, EQUAL), FAST, new Change(true, 5));
            case "link-drop" -> cnn(name, List.of(EQUAL, EQUAL, EQUAL, EQUAL), List.of(100.0, 100.0, 100.0, 100.0),
                    new Change(false, 10));
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + NAMES);
        };
    }

    private static EdgeScenario mobilenet(String name, List<Double> cpus, List<Double> mbit, Change change) {
        return new EdgeScenario(name, "mobilenetv2", 32, MOBILENET_SAMPLES, hosts(cpus, mbit), change);
    }

    private static EdgeScenario cnn(String name, List<Double> cpus, List<Double> mbit, Change change) {
        return new EdgeScenario(name, "cnn", 64, CNN_SAMPLES, hosts(cpus, mbit), change);
    }

    private static List<HostSpec> hosts(List<Double> cpus, List<Double> mbit) {
        return java.util.stream.IntStream.range(0, cpus.size()).mapToObj(i -> new HostSpec(cpus.get(i), mbit.get(i)))
                .toList();
    }

    /**
     * The host with the most CPU, the fastest link of those (its data comes over it), the first of
     * equals: what {@code best_single} runs on.
     */
    public int fastest() {
        int best = 0;
        for (int h = 1; h < hosts.size(); h++) {
            HostSpec a = hosts.get(h);
            HostSpec b = hosts.get(best);
            if (a.cpus() > b.cpus() || a.cpus() == b.cpus() && a.mbit() > b.mbit()) {
                best = h;
            }
        }
        return best;
    }
}
