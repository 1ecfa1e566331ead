package io.ftpipe.cli;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.cli.bench.ScaleRun;
import io.ftpipe.cli.bench.WorkFolder;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.ModelOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.SamplesOption;
import io.ftpipe.cli.options.SeedOption;
import io.ftpipe.cli.progress.QuietLogs;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.cli.report.ThroughputChart;
import io.ftpipe.zoo.model.ModelZoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe bench scale}: many device processes in several jobs at once on one central node.
 * The planner's scaling is {@code ftpipe bench planner}'s subject, not this one's.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Concurrent jobs on one central node: --jobs jobs of --devices-per-job device processes "
                + "each (default 2 x 8 = 16 device JVMs on this machine), submitted at once. Reports the jobs "
                + "completed, each job's samples/s, that every sample trained exactly once, the messages/s "
                + "through the broker (HiveMQ's counts) and the CPU of the broker's JVM and of the central node's "
                + "threads in it.",
                "Synthetic data (--samples generated samples per job): the subject is the central node and the "
                        + "broker under many devices and jobs, not accuracy, and generated data needs no download "
                        + "and no second copy of Fashion-MNIST per job in the broker's memory.",
                "--model defaults to mobilenetv2: of the zoo's models only it has enough units (ten) for a "
                        + "stage on each of eight devices; jobs are speed-blind so that they keep all eight.",
                "The planner's time for large fleets: ftpipe bench planner."})
public final class BenchScaleCommand implements Callable<Integer> {
    /** Throughput is averaged over windows this long (seconds) for the chart. */
    private static final double WINDOW = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--jobs", defaultValue = "2", description = "concurrent jobs (default: ${DEFAULT-VALUE})")
    int jobs;
    @Option(names = "--devices-per-job", defaultValue = "8",
            description = "devices each job asks for; one device JVM is started per device (default: "
                    + "${DEFAULT-VALUE})")
    int devicesPerJob;
    @Mixin
    private ModelOption model = new ModelOption("mobilenetv2");
    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(32);
    @Mixin
    private SamplesOption samples = new SamplesOption(1920);
    @Mixin
    private SeedOption seed = new SeedOption(1);
    @Mixin
    private ReportOption report = new ReportOption("runs/bench-scale.json");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Path file = report.file();
        QuietLogs.all();
        Path work = WorkFolder.fresh(file.toAbsolutePath().resolveSibling("bench-scale-work"));
        err.println("starting " + jobs * devicesPerJob + " device JVMs, then " + jobs + " jobs of " + devicesPerJob
                + " devices, " + model.name() + ", " + samples.value() + " synthetic samples each ...");
        ScaleRun.Result r = ScaleRun.run(new ScaleRun.Setup(model.name(), jobs, devicesPerJob, batchSize.value(),
                samples.value(), seed.value()), work, err::println);

        List<Map<String, Object>> perJob = new ArrayList<>();
        List<Set<String>> devicesOfJobs = new ArrayList<>();
        int completed = 0;
        int exactlyOnce = 0;
        double samplesPerSecond = 0;
        for (ScaleRun.Job j : r.jobs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("job", j.id());
            if (j.result() == null) {
                row.put("error", j.error());
                perJob.add(row);
                continue;
            }
            JobReport rep = j.result().report();
            completed++;
            long trained = rep.epochs().get(0).samples();
            boolean once = trained == samples.value() && rep.duplicateMicroBatches() == 0
                    && rep.iterationsLost() == 0 && rep.updatesAppliedTwice() == 0;
            exactlyOnce += once ? 1 : 0;
            samplesPerSecond += rep.samplesPerSecond();
            Set<String> used = new HashSet<>();
            rep.terms().forEach(t -> used.addAll(t.devices()));
            devicesOfJobs.add(used);
            row.put("samples_per_second", rep.samplesPerSecond());
            row.put("train_seconds", rep.trainSeconds());
            row.put("seconds", rep.seconds());
            row.put("samples_trained", trained);
            row.put("duplicate_micro_batches", rep.duplicateMicroBatches());
            row.put("every_sample_once", once);
            row.put("stages", rep.stages().size());
            row.put("devices", used.stream().sorted().toList());
            row.put("terms", rep.terms().size());
            row.put("recoveries", rep.recoveries().size());
            row.put("test_accuracy", rep.testAccuracy());
            perJob.add(row);
        }
        boolean disjoint = disjoint(devicesOfJobs);
        double seconds = r.cpu().wallSeconds();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "scale");
        json.put("model", model.name());
        json.put("data", "synthetic");
        json.put("jobs", jobs);
        json.put("devices_per_job", devicesPerJob);
        json.put("device_processes", jobs * devicesPerJob);
        json.put("batch_size", batchSize.value());
        json.put("samples_per_job", samples.value());
        json.put("seed", seed.value());
        json.put("jobs_completed", completed);
        json.put("jobs_every_sample_once", exactlyOnce);
        json.put("jobs_on_disjoint_devices", disjoint);
        json.put("per_job", perJob);
        json.put("total_samples_per_second", samplesPerSecond);
        json.put("wall_seconds", seconds);
        json.put("broker_messages", r.messages());
        json.put("broker_messages_per_second", r.messages() / seconds);
        json.put("broker_bytes_per_second", r.bytes() / seconds);
        json.put("broker_jvm_cpu_seconds", r.cpu().processCpuSeconds());
        json.put("broker_jvm_cores", r.cpu().processCores());
        json.put("central_node_cpu_seconds", r.cpu().centralNodeCpuSeconds());
        json.put("central_node_cores", r.cpu().centralNodeCores());
        json.put("device_jvms_cpu_seconds", r.devicesCpu());
        json.put("device_startup_seconds", r.startupSeconds());
        json.put("planner", "ftpipe bench planner (its own report): the planner's time for 8 to 64 devices");
        json.put("how", "wall_seconds: from the jobs' submission (all at once, the device JVMs already joined) "
                + "until the last ended. samples_per_second: the job's samples over its training time (its "
                + "report's). every_sample_once: the epoch trained exactly the samples asked for, with no "
                + "micro-batch finished twice and no update lost or applied twice. broker_messages: HiveMQ's "
                + "PUBLISH packets in plus out over wall_seconds (one activation between two stages is one in "
                + "and one out). broker_jvm_cpu: the CPU time of this JVM, which is the broker with the "
                + "central node in it; central_node_cpu: the part of it spent in the central node's threads "
                + "(ftpipe-*: its message inbox, its jobs' threads with their evaluation and export, its status "
                + "and replica writers); the rest is HiveMQ's. *_cores: CPU seconds over wall_seconds. "
                + "device_jvms_cpu_seconds: the device processes' CPU time from their start, joining included.");
        json.put("machine", Machine.describe());
        JsonReports.write(file, json);

        Path png = file.toAbsolutePath().resolveSibling(JobDriver.pngName(file));
        ThroughputChart chart = new ThroughputChart("bench scale: " + jobs + " jobs x " + devicesPerJob + " devices, "
                + model.name());
        r.jobs().stream().filter(j -> j.result() != null)
                .forEach(j -> chart.series(j.id(), j.result().timeline().windowed(WINDOW)));
        chart.write(png);
        out.printf("%d of %d jobs completed (%d trained every sample exactly once, devices %s); %.1f samples/s in "
                        + "all; broker %.0f messages/s; broker JVM %.2f cores, central node %.2f cores; wrote %s and "
                        + "%s%n", completed, jobs, exactlyOnce, disjoint ? "disjoint" : "SHARED", samplesPerSecond,
                r.messages() / seconds, r.cpu().processCores(), r.cpu().centralNodeCores(), file, png.getFileName());
        return completed == jobs && exactlyOnce == jobs && disjoint ? 0 : 1;
    }

    private void validate() {
        if (!ModelZoo.NAMES.contains(model.name())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown model '" + model.name()
                    + "'; known: " + ModelZoo.NAMES);
        }
        if (jobs < 1 || devicesPerJob < 1 || batchSize.value() < 1 || samples.value() < batchSize.value()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--jobs, --devices-per-job and "
                    + "--batch-size must be at least 1, and --samples at least one batch; got " + jobs + ", "
                    + devicesPerJob + ", " + batchSize.value() + ", " + samples.value());
        }
    }

    /** No device served two jobs. */
    static boolean disjoint(List<Set<String>> devicesOfJobs) {
        Set<String> seen = new HashSet<>();
        for (Set<String> devices : devicesOfJobs) {
            for (String d : devices) {
                if (!seen.add(d)) {
                    return false;
                }
            }
        }
        return true;
    }
}
