package io.ftpipe.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The whole Dropwizard registry — inside HiveMQ its own: {@code com.hivemq.*} and the central
 * node's {@code ftpipe.*} — in Prometheus's text format, through the Prometheus client library's
 * Dropwizard bridge (it names {@code ftpipe.samples} {@code ftpipe_samples_total}, and so on).
 * The per-device gauges become one metric each with a {@code device} label, so a dashboard can
 * graph every device with one query: {@code ftpipe.device.gw-1.compute.ms} is
 * {@code ftpipe_device_compute_ms{device="gw-1"}}.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** The per-device gauges of {@link FtpipeMetrics#deviceName}. */
    static final List<String> DEVICE_GAUGES = List.of("stage", "compute.ms", "send.ms", "wait.ms");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public PrometheusText(MetricRegistry dropwizard) {
        List<MapperConfig> perDevice = DEVICE_GAUGES.stream().map(what -> new MapperConfig(
                FtpipeMetrics.deviceName("*", what), FtpipeMetrics.PREFIX + "device." + what,
                Map.of("device", "${0}"))).toList();
        DropwizardExports.builder().dropwizardRegistry(dropwizard).customLabelMapper(new CustomLabelMapper(perDevice))
                .register(registry);
    }

    /** Every metric now, as Prometheus scrapes it. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
