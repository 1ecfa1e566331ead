package io.ftpipe.cli.demo;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.cli.report.Machine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The demo's JSON report. */
public final class DemoReport {
    private DemoReport() {
    }

    /**
     * @param broker HiveMQ's message and byte counts ({@code BrokerMetrics.snapshot()})
     * @param ftpipe the central node's {@code ftpipe.*} metrics ({@code BrokerMetrics.ftpipe()})
     */
    public static Map<String, Object> of(JobReport r, Map<String, Long> broker, Map<String, Number> ftpipe,
                                         Path modelPath, int deviceThreads) {
        return of(r, BrokerFacts.HIVEMQ, broker, ftpipe, modelPath, deviceThreads);
    }

    /**
     * @param brokerName which broker the job ran through (one of {@link BrokerFacts#NAMES})
     * @param broker     its message and byte counts: {@code messages} and {@code bytes}, and its own
     */
    public static Map<String, Object> of(JobReport r, String brokerName, Map<String, Long> broker,
                                         Map<String, Number> ftpipe, Path modelPath, int deviceThreads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "pipeline");
        m.put("broker", brokerName);
        m.put("job", r.job());
        m.put("model", r.model());
        m.put("schedule", r.schedule());
        m.put("devices", r.devices());
        m.put("device_threads", deviceThreads);
        m.put("stages", r.stages());
        m.put("terms", r.terms());
        m.put("duplicate_micro_batches", r.duplicateMicroBatches());
        m.put("recoveries", r.recoveries());
        m.put("replayed_micro_batches", r.replayedMicroBatches());
        m.put("replicated_bytes", r.replicatedBytes());
        m.put("replication_seconds", r.replicationSeconds());
        m.put("test_accuracy", r.testAccuracy());
        m.put("samples_per_second", r.samplesPerSecond());
        m.put("seconds", r.seconds());
        m.put("broker_messages", broker.getOrDefault("messages", -1L));
        m.put("broker_bytes", broker.getOrDefault("bytes", -1L));
        m.put("broker_metrics", broker);
        m.put("ftpipe_metrics", ftpipe);
        m.put("per_epoch", r.epochs());
        m.put("rejected", r.rejected());
        m.put("events", r.events());
        m.put("model_path", modelPath.toString());
        m.put("machine", Machine.describe());
        return m;
    }
}
