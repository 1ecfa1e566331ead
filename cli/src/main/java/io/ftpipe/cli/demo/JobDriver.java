package io.ftpipe.cli.demo;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.cli.progress.QuietLogs;
import io.ftpipe.cli.report.JsonReports;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Runs one job on a central node with a progress display, and writes its report and model. */
public final class JobDriver {
    private JobDriver() {
    }

    /**
     * On the central node inside an embedded HiveMQ.
     *
     * @param also told of the job's progress besides the display (e.g. to inject a failure)
     */
    public static JobReport run(TrainingCentralNode central, JobOptions job, int deviceThreads, PrintWriter out,
                                PrintWriter err, JobListener also) throws Exception {
        return run(central, job, deviceThreads, out, err, also, BrokerFacts.hivemq());
    }

    /** @param broker the broker the job ran through, and where its counts and the node's metrics are */
    public static JobReport run(TrainingCentralNode central, JobOptions job, int deviceThreads, PrintWriter out,
                                PrintWriter err, JobListener also, BrokerFacts broker) throws Exception {
        QuietLogs.jobEvents();
        JobReport result;
        var spec = job.spec("job-" + System.currentTimeMillis() % 100000);
        var progress = new DemoProgress(out, err, spec.microBatchSize());
        try (progress) {
            result = central.submit(spec, JobListener.both(progress, also)).get();
        }
        Path png = job.report().toAbsolutePath().resolveSibling(pngName(job.report()));
        progress.chart().write(png, result.model() + " over MQTT, " + result.schedule() + ", "
                + result.devices().size() + " devices");
        Path modelPath = job.report().toAbsolutePath().resolveSibling("model.onnx");
        Files.createDirectories(modelPath.getParent());
        Files.copy(Path.of(result.modelPath()), modelPath, StandardCopyOption.REPLACE_EXISTING);
        JsonReports.write(job.report(), DemoReport.of(result, broker.name(), broker.counts().get(),
                broker.ftpipe().get(), modelPath, deviceThreads));
        out.printf("test accuracy %.2f%%, %.0f samples/s; wrote %s, %s and %s%n", 100 * result.testAccuracy(),
                result.samplesPerSecond(), job.report(), png.getFileName(), modelPath);
        return result;
    }

    /** {@code run.json} gets {@code run.png}. */
    public static String pngName(Path report) {
        String name = report.getFileName().toString();
        return (name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".png";
    }
}
