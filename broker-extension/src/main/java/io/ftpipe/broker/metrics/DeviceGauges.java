package io.ftpipe.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-device gauges ({@code ftpipe.device.<id>.compute.ms}, ...) as one Prometheus metric per
 * kind with a {@code device} label, {@code ftpipe_device_compute_ms{device="gw-1"}}, so one query
 * graphs every device. The Dropwizard bridge would make one metric per device and name, which
 * Prometheus cannot group; and its label mapper, given several devices, makes one name twice.
 */
final class DeviceGauges implements MultiCollector {
    /** The per-device gauges of {@link FtpipeMetrics#deviceName}, by what they measure. */
    static final List<String> KINDS = List.of("stage", "compute.ms", "send.ms", "wait.ms");
    static final String PREFIX = FtpipeMetrics.PREFIX + "device.";
    /** For the Dropwizard bridge: everything but these. */
    static final MetricFilter OTHERS = (name, metric) -> parse(name).isEmpty();

    private final MetricRegistry registry;

    DeviceGauges(MetricRegistry registry) {
        this.registry = registry;
    }

    /** A device gauge's device and kind; empty for any other name. Device ids may hold dots. */
    static Optional<Map.Entry<String, String>> parse(String name) {
        if (!name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        for (String kind : KINDS) {
            String suffix = "." + kind;
            if (name.endsWith(suffix) && name.length() > PREFIX.length() + suffix.length()) {
                return Optional.of(Map.entry(name.substring(PREFIX.length(), name.length() - suffix.length()), kind));
            }
        }
        return Optional.empty();
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, GaugeSnapshot.Builder> byKind = new LinkedHashMap<>();
        registry.getGauges((name, metric) -> parse(name).isPresent()).forEach((name, gauge) -> {
            Map.Entry<String, String> device = parse(name).orElseThrow();
            double value = value(gauge);
            if (Double.isNaN(value)) {
                return;
            }
            byKind.computeIfAbsent(device.getValue(), kind -> GaugeSnapshot.builder()
                    .name(PrometheusNaming.sanitizeMetricName(PREFIX + kind))
                    .help("per device: " + kind + " (docs/management.md)"))
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value)
                            .labels(Labels.of("device", device.getKey())).build());
        });
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        byKind.values().forEach(b -> out.metricSnapshot(b.build()));
        return out.build();
    }

    private static double value(Gauge<?> gauge) {
        return gauge.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
