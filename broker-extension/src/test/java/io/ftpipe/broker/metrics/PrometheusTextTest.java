package io.ftpipe.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Gauge;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's metrics as Prometheus reads them: names, types, and one metric per device gauge with a label. */
class PrometheusTextTest {

    @Test
    void ftpipeMetricsAreWrittenInPrometheusTextFormatWithDevicesAsLabels() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        FtpipeMetrics metrics = new FtpipeMetrics(registry);
        metrics.countDevices(() -> 2, () -> 3);
        metrics.job(64, 0).microBatchDone(10, 0.5);
        registry.counter("com.hivemq.messages.incoming.publish.count").inc(7);
        // The gauges a device's heartbeats register (FtpipeMetrics.heartbeat), named as it names them.
        registry.register(FtpipeMetrics.deviceName("gw-1", "stage"), (Gauge<Integer>) () -> 1);
        registry.register(FtpipeMetrics.deviceName("gw-2", "compute.ms"), (Gauge<Double>) () -> 2.5);
        registry.register(FtpipeMetrics.deviceName("gw.3", "compute.ms"), (Gauge<Double>) () -> 4.0);
        registry.register(FtpipeMetrics.deviceName("gw-4", "compute.ms"), (Gauge<Double>) () -> Double.NaN);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusText(registry).write(out);
        String text = out.toString(StandardCharsets.UTF_8);

        assertTrue(text.contains("# TYPE ftpipe_samples_total counter"), text);
        assertTrue(text.contains("ftpipe_samples_total 640.0"), text);
        assertTrue(text.contains("ftpipe_devices_alive 2.0"), text);
        assertTrue(text.contains("com_hivemq_messages_incoming_publish_count_total 7.0"), text);
        assertTrue(text.contains("ftpipe_rejected_stale_term_total 0.0"), text);
        assertTrue(text.contains("ftpipe_device_stage{device=\"gw-1\"} 1.0"), text);
        assertTrue(text.contains("ftpipe_device_compute_ms{device=\"gw-2\"} 2.5"), text);
        assertTrue(text.contains("ftpipe_device_compute_ms{device=\"gw.3\"} 4.0"), "ids may hold dots: " + text);
        assertFalse(text.contains("gw-4"), "a device not measured yet has no sample: " + text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("# TYPE ftpipe_device_compute_ms")).count(), text);
    }
}
