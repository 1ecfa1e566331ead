package io.ftpipe.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The whole Dropwizard registry — inside HiveMQ its own: {@code com.hivemq.*} and the central
 * node's {@code ftpipe.*} — in Prometheus's text format, through the Prometheus client library's
 * Dropwizard bridge (it names {@code ftpipe.samples} {@code ftpipe_samples_total}, and so on).
 * The per-device gauges become one metric per kind with a {@code device} label
 * ({@link DeviceGauges}): {@code ftpipe.device.gw-1.compute.ms} is
 * {@code ftpipe_device_compute_ms{device="gw-1"}}.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public PrometheusText(MetricRegistry dropwizard) {
        DropwizardExports.builder().dropwizardRegistry(dropwizard).metricFilter(DeviceGauges.OTHERS).register(registry);
        registry.register(new DeviceGauges(dropwizard));
    }

    /** Every metric now, as Prometheus scrapes it. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
